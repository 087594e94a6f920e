package io.durableflows.workflows.context;

import java.util.List;
import java.util.Map;

/**
 * What to put into an agent's system prompt: skills (playbooks) and prompt/context blocks by name, for the org
 * {@code orgCode} ({@code runId} names the run asking, if any: for logs and summaries). {@code variables} fill
 * the {@code {{placeholders}}} of static blocks. {@link Mode#PRELOAD} renders every dynamic block now and caches
 * it; {@link Mode#BUILD} takes a fresh cached rendering when there is one.
 */
public record ContextRequest(
    String orgCode,
    String runId,
    List<String> skills,
    List<String> promptBlocks,
    List<String> contextBlocks,
    Map<String, Object> variables,
    Mode mode) {

  public enum Mode { BUILD, PRELOAD }

  public ContextRequest {
    skills = skills == null ? List.of() : List.copyOf(skills);
    promptBlocks = promptBlocks == null ? List.of() : List.copyOf(promptBlocks);
    contextBlocks = contextBlocks == null ? List.of() : List.copyOf(contextBlocks);
    variables = variables == null ? Map.of() : variables;
    mode = mode == null ? Mode.BUILD : mode;
  }

  public static ContextRequest build(String orgCode, String runId, List<String> skills, List<String> promptBlocks,
      List<String> contextBlocks) {
    return new ContextRequest(orgCode, runId, skills, promptBlocks, contextBlocks, Map.of(), Mode.BUILD);
  }
}
