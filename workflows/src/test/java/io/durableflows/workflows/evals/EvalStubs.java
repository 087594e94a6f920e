package io.durableflows.workflows.evals;

import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.TestFlows;
import io.durableflows.workflows.hitl.HumanRequest;
import io.durableflows.workflows.hitl.HumanResolution;
import io.durableflows.workflows.llm.LlmActivities;
import io.durableflows.workflows.llm.LlmCall;
import io.durableflows.workflows.llm.LlmChatCall;
import io.durableflows.workflows.llm.LlmChatReply;
import io.durableflows.workflows.llm.LlmReply;
import io.durableflows.workflows.llm.Usage;
import io.durableflows.workflows.run.RunRequest;
import io.durableflows.workflows.store.ChildRunSpec;
import io.durableflows.workflows.store.RunOutcome;
import io.durableflows.workflows.store.RunStoreActivities;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Activities for eval job workflow tests and recorded histories: the real workflow code, no database. */
final class EvalStubs {
  private EvalStubs() {}

  static final EvaluatorSpec EXACT = new EvaluatorSpec("evl_exact", "exact answer", EvaluatorKinds.EXACT,
      Map.of(), false);
  static final EvaluatorSpec BROKEN = new EvaluatorSpec("evl_broken", "broken regex", EvaluatorKinds.REGEX,
      Map.of("pattern", "("), false);
  static final EvaluatorSpec GRADER = new EvaluatorSpec("evl_grader", "grader flow", EvaluatorKinds.FLOW,
      Map.of("flow", "grader"), false);

  /** An evaluation flow: its model answers a JSON verdict, the output is that text. */
  static FlowDefinition grader() {
    return TestFlows.parse("""
        {"slug": "grader", "nodes": [
          {"id": "input", "type": "input", "data": {"variables": [
            {"name": "output", "type": "string"}, {"name": "expected", "type": "string"}]}},
          {"id": "judge", "type": "llm", "data": {"prompt": "Grade {{input.output}} against {{input.expected}}"}},
          {"id": "output", "type": "output", "data": {"shape": "raw", "source": "judge"}}
        ], "edges": [{"source": "input", "target": "judge"}, {"source": "judge", "target": "output"}]}""");
  }

  static EvalJobRequest request(String jobId, List<EvalSelection> selections) {
    return new EvalJobRequest(jobId, "acme", "run_1", "qa", Map.of("question", "2+2?"), "4", selections);
  }

  /** exact compares the output with the external input's expected; regex fails as a bad pattern does. */
  static final class Evaluator implements EvalActivities {
    @Override
    public EvalResult evaluate(EvalCall call) {
      EvaluatorSpec spec = call.evaluator();
      if (spec.kind().equals(EvaluatorKinds.REGEX)) {
        throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure("pattern '(' does not compile",
            EvalFailures.INVALID_EVALUATOR);
      }
      boolean same = String.valueOf(call.externalInput().get("expected")).equals(call.output());
      return new EvalResult(spec.id(), spec.name(), spec.kind(), same ? 1.0 : 0.0, same, same ? "equal" : "differs",
          Usage.ZERO, 0, 1, null);
    }
  }

  /** Remembers what the job recorded; prepares the grader flow's child run as the real store would. */
  static final class Store implements EvalStoreActivities {
    final List<String> started = new CopyOnWriteArrayList<>();
    final Map<Integer, EvalResult> results = new ConcurrentHashMap<>();
    final List<EvalSummary> completed = new CopyOnWriteArrayList<>();

    @Override
    public void jobStarted(EvalJobRequest request) {
      started.add(request.jobId());
    }

    @Override
    public void recordResult(String jobId, int index, EvalResult result) {
      results.put(index, result);
    }

    @Override
    public void jobCompleted(String jobId, EvalSummary summary) {
      completed.add(summary);
    }

    @Override
    public RunRequest prepareEvalFlowRun(String childRunId, EvalCall call) {
      Map<String, Object> input = Map.of("output", String.valueOf(call.output()),
          "expected", String.valueOf(call.externalInput().get("expected")));
      return new RunRequest(childRunId, call.orgCode(), "grader", "draft", grader(), input);
    }
  }

  /** The grader's model: a verdict naming what it compared. */
  static final class Judge implements LlmActivities {
    @Override
    public LlmReply complete(LlmCall call) {
      return new LlmReply("{\"score\": 0.75, \"reason\": \"" + call.prompt() + "\"}", "openai", "gpt-4o-mini", "stop",
          new Usage(30, 10), 0.0002, 50);
    }

    @Override
    public LlmChatReply chat(LlmChatCall call) {
      throw new UnsupportedOperationException("no agents here");
    }
  }

  static final class RunStore implements RunStoreActivities {
    @Override
    public void recordOutcome(RunOutcome outcome) {}

    @Override
    public void recordRequest(String runId, HumanRequest request) {}

    @Override
    public void recordResolution(String runId, HumanResolution resolution) {}

    @Override
    public RunRequest prepareChildRun(ChildRunSpec spec) {
      throw new UnsupportedOperationException("evaluation flows are prepared by the eval store");
    }
  }
}
