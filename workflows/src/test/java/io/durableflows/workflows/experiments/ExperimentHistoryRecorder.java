package io.durableflows.workflows.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Records the experiment histories that {@link ExperimentReplayTest} replays, from {@link ExperimentScenario}: a
 * tool, not a test. Run it as {@code HistoryRecorder} is run (see its javadoc for the classpath), with main class
 * {@code io.durableflows.workflows.experiments.ExperimentHistoryRecorder [output dir]}, only after an intended
 * change to the experiment workflow's commands that is versioned or may abandon experiments in flight.
 */
public final class ExperimentHistoryRecorder {
  private ExperimentHistoryRecorder() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/experiment-histories");
    Files.createDirectories(dir);
    // Every row in one execution: two rows fail (bad input, refused model call), three are run and evaluated.
    record(dir, "experiment-failing-rows", ExperimentScenario.request(2, ExperimentRequest.ROWS_PER_EXECUTION));
    // Two rows per execution: the first execution ends by continuing as new.
    record(dir, "experiment-continued", ExperimentScenario.request(2, 2));
  }

  private static void record(Path dir, String name, ExperimentRequest request) throws IOException {
    try (ExperimentScenario scenario = new ExperimentScenario()) {
      String firstRun = scenario.start(request);
      scenario.awaitEnd();
      Path file = dir.resolve(name + ".json");
      Files.writeString(file, scenario.env.getWorkflowClient().fetchHistory(scenario.workflowId(), firstRun)
          .toJson(true) + "\n");
      System.out.println("wrote " + file);
    }
  }
}
