package io.durableflows.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.activities.llm.OpenAiStubServer;
import io.durableflows.activities.llm.OpenAiStubServer.Reply;
import io.durableflows.api.support.ProcessStack;
import io.durableflows.api.support.StreamClient;
import io.durableflows.api.support.StreamClient.Sse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streaming when the worker that talks to the model is another process than the API, and when the API dies in
 * the middle of a stream: the run's workflow holds the log, so a client resumes where it was.
 */
class StreamingAcrossProcessesTest {
  private static final String TOKEN = "df_streaming_test_token_0123456789";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String[] TOKENS = {"Tokens ", "cross ", "process ", "boundaries ", "through ", "signals."};
  private ProcessStack stack;
  private OpenAiStubServer stub;

  @BeforeEach
  void start() throws Exception {
    stack = new ProcessStack("durableflows_streaming", "strm", TOKEN);
    stub = stack.stub;
    stack.startApi();
    stack.startWorkers();
    stack.createStubFlow();
  }

  @AfterEach
  void stopAll() throws Exception {
    stack.close();
  }

  private String base() {
    return stack.base();
  }

  @Test
  void runStream_withTheWorkerInAnotherProcess_deliversEveryTokenAsItComes() {
    stub.enqueue(Reply.streamed(TOKENS).withChunkDelay(Duration.ofMillis(200)));
    try (StreamClient s = StreamClient.post(base() + "/api/llm/strm/flows/qa-stub/run/stream",
        Map.of("Authorization", "Bearer " + TOKEN), "{\"input\":{\"question\":\"hi\"}}")) {
      assertThat(s.status()).isEqualTo(200);
      List<StreamClient.Line> lines = s.rest(WAIT);
      List<StreamClient.Line> content = lines.stream().filter(l -> l.text().contains("\"content\"")).toList();
      String text = content.stream().map(l -> l.text().replaceAll(".*\"content\":\"([^\"]*)\".*", "$1"))
          .reduce("", String::concat);
      assertThat(text).isEqualTo(String.join("", TOKENS));
      // Six tokens 200 ms apart: the first reached us about a second before the last.
      long spread = content.getLast().atNanos() - content.getFirst().atNanos();
      assertThat(Duration.ofNanos(spread)).isGreaterThan(Duration.ofMillis(600));
      assertThat(lines.getLast().text().isEmpty() ? lines.get(lines.size() - 2).text() : lines.getLast().text())
          .isEqualTo("data: [DONE]");
    }
  }

  @Test
  void apiKilledMidStream_clientResumesWithLastEventId_losingAndRepeatingNothing() throws Exception {
    stub.enqueue(Reply.streamed(TOKENS).withChunkDelay(Duration.ofMillis(700)));
    List<Sse> before;
    String runId;
    try (StreamClient s = StreamClient.post(base() + "/api/v1/accounts/strm/projects/default/flows/qa-stub/run",
        Map.of("Authorization", "Bearer " + TOKEN),
        "{\"body\":{\"question\":\"hi\"},\"options\":{\"stream\":\"http\"}}")) {
      assertThat(s.status()).isEqualTo(200);
      runId = s.header("X-Run-Id");
      List<StreamClient.Line> lines = new ArrayList<>(s.until(l -> l.equals("event: message"), WAIT));
      lines.addAll(s.until(String::isEmpty, WAIT));
      before = StreamClient.events(lines);
      stack.killApi();
    }
    stack.startApi();
    try (StreamClient resumed = StreamClient.get(base() + "/api/v1/runs/" + runId + "/events",
        Map.of("Authorization", "Bearer " + TOKEN, "Last-Event-ID", before.getLast().id()))) {
      assertThat(resumed.status()).isEqualTo(200);
      List<Sse> after = StreamClient.events(resumed.rest(WAIT));
      List<Sse> all = new ArrayList<>(before);
      all.addAll(after);
      assertThat(all).extracting(Sse::id).containsExactlyElementsOf(
          IntStream.rangeClosed(1, all.size()).mapToObj(String::valueOf).toList());
      String text = all.stream().filter(e -> "message".equals(e.event()))
          .map(e -> e.data().replaceAll(".*\"text\":\"([^\"]*)\".*", "$1")).reduce("", String::concat);
      assertThat(text).isEqualTo(String.join("", TOKENS));
      assertThat(after.getLast().event()).isEqualTo("done");
    }
    assertThat(stub.requests()).as("the model was called once").hasSize(1);
  }
}
