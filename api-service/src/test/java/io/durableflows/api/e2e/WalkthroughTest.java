package io.durableflows.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.api.support.ApiTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Executes the README's walkthrough block, line for line, with bash and curl against the running API. */
class WalkthroughTest extends ApiTest {
  private static final Pattern BLOCK = Pattern.compile("## Walkthrough.*?```bash\\n(.*?)```", Pattern.DOTALL);

  @Test
  void readmeWalkthrough_runsAsPrinted() throws IOException, InterruptedException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    Matcher m = BLOCK.matcher(Files.readString(root.resolve("README.md")));
    assertThat(m.find()).as("README has a walkthrough bash block").isTrue();
    String script = m.group(1);
    assertThat(script).contains("examples/flows/$flow.json");

    ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
        .directory(root.toFile())
        .redirectErrorStream(true);
    pb.environment().put("DF_URL", http.base());
    pb.environment().put("DF_ADMIN_TOKEN", ADMIN_TOKEN);
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains("\"org_code\":\"acme\"");
    assertThat(output).contains("\"slug\":\"qa-openai\"").contains("\"slug\":\"qa-raw\"").contains("\"slug\":\"qa-template\"");
    assertThat(output).contains("\"object\":\"chat.completion\"");
    assertThat(output).contains("Offline answer to \"What is a release?\"");
    assertThat(output).contains("\"user_id\":\"u_42\"");
    assertThat(output).contains("\"version\":\"1.0.0\"");
    assertThat(output).contains("\"status\":\"complete\"");
    assertThat(output).contains("\"next_cursor\"");
    assertThat(output).contains("data: {\"choices\":[{\"delta\":{\"content\":").contains("data: [DONE]");
    assertThat(output).contains("id: 4\nevent: ").contains("event: done");
    assertThat(output).contains("event: message").contains("event: flow_meta");
    assertThat(output).contains("\"flow_balance_remaining\"").contains("\"ledger\"");
    assertThat(output).contains("\"slug\":\"approval-demo\"").contains("\"slug\":\"question-demo\"");
    assertThat(output).contains("\"status\":\"approved\"").contains("\"name\":\"alice@acme.example\"");
    assertThat(output).contains("Offline answer to \\\"May I deploy on Friday?\\\"");
    assertThat(output).contains("\"status\":\"waiting\"").contains("\"answer_type\":\"choice\"");
    assertThat(output).contains("\"status\":\"answered\"").contains("Explain tides in one sentence.");
    assertThat(output).contains("\"call_id\":\"run_").contains("\"cancelled\":true");
    assertThat(output).contains("\"slug\":\"agent-tools\"").contains("\"tool\":\"calculator\"")
        .contains("The result is 58.5.");
    assertThat(output).contains("\"eval_status\":\"completed\"").contains("\"kind\":\"llm_judge\"")
        .contains("\"kind\":\"contains\"");
    assertThat(output).contains("\"version\":\"1.1.0\"").contains("\"pass_rate\"").contains("\"latency_ms\"")
        .contains("\"deltas\"").contains("\"change\"");
    assertThat(output).contains("\"object\":\"batch\"").contains("\"total\":12").contains("T-1004");
  }
}
