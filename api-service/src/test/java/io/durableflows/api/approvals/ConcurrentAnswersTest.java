package io.durableflows.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.Http;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Two people answer the same request at once: exactly one answer wins, the other hears 409, and the request, the
 * run and both responses agree on the winner.
 */
class ConcurrentAnswersTest extends HitlApiTest {

  private static List<Http.Response> atOnce(Supplier<Http.Response> a, Supplier<Http.Response> b) {
    CountDownLatch start = new CountDownLatch(1);
    CompletableFuture<Http.Response> first = CompletableFuture.supplyAsync(() -> {
      await(start);
      return a.get();
    });
    CompletableFuture<Http.Response> second = CompletableFuture.supplyAsync(() -> {
      await(start);
      return b.get();
    });
    start.countDown();
    return List.of(first.join(), second.join());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void twoAnswersAtOnce_oneWinsAndTheOtherGets409() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "approval-demo");
    for (int round = 0; round < 5; round++) {
      JsonNode approval = waitingApproval(org, "approval-demo", input("question", "race " + round));
      String id = approval.path("id").asText();

      List<Http.Response> rs = atOnce(
          () -> respond(org, id, Map.of("decision", "approve", "responder", "kim")),
          () -> respond(org, id, Map.of("decision", "deny", "responder", "lee")));

      List<Integer> statuses = rs.stream().map(Http.Response::status).sorted().toList();
      assertThat(statuses).as(rs.toString()).containsExactly(200, 409);
      Http.Response winner = rs.stream().filter(r -> r.status() == 200).findFirst().orElseThrow();
      Http.Response loser = rs.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
      assertThat(loser.json().path("error").asText()).isEqualTo("already_resolved");
      String status = winner.json().path("status").asText();
      JsonNode view = getApproval(org, id);
      assertThat(view.path("status").asText()).isEqualTo(status);
      assertThat(view.path("responder").path("name").asText())
          .isEqualTo(winner.json().path("responder").path("name").asText());
      JsonNode run = awaitEnd(org, approval.path("run_id").asText());
      if ("approved".equals(status)) {
        assertThat(run.path("output").asText()).startsWith("Offline answer to");
      } else {
        assertThat(run.path("output").asText()).isEqualTo("Denied by lee");
      }
    }
  }

  @Test
  void twoAnswersToAQuestionAtOnce_oneWinsAndTheRunUsesIt() throws Exception {
    TestOrg org = newOrg();
    createExample(org, "question-demo");
    String runId = startAsync(org, "question-demo", input("topic", "tides"));
    String id = awaitQuestion(org, runId).path("id").asText();

    List<Http.Response> rs = atOnce(
        () -> answer(org, id, Map.of("answer", "one sentence")),
        () -> answer(org, id, Map.of("answer", "step by step")));

    assertThat(rs.stream().map(Http.Response::status).sorted().toList()).as(rs.toString()).containsExactly(200, 409);
    String won = rs.stream().filter(r -> r.status() == 200).findFirst().orElseThrow().json().path("answer").asText();
    assertThat(getQuestion(org, id).path("answer").asText()).isEqualTo(won);
    assertThat(awaitEnd(org, runId).path("output").asText()).contains("Explain tides in " + won + ".");
  }
}
