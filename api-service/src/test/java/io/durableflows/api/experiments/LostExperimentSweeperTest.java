package io.durableflows.api.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class LostExperimentSweeperTest extends ExperimentApiTest {
  @Autowired
  ExperimentRepository experiments;

  @Autowired
  LostExperimentSweeper sweeper;

  @Test
  void sweep_marksExperimentsWhoseWorkflowIsGoneAsLost() {
    TestOrg org = newOrg();
    String id = "exp_lost" + System.nanoTime();
    experiments.insert(new ExperimentRepository.NewExperiment(id, org.id(), null, "flw_x", "qa", null, "rel_x",
        "1.0.0", "file_x", List.of(), 1, 3, "experiment/" + org.code() + "/" + id));

    sweeper.sweep();

    JsonNode experiment = ok(http.get("/api/v1/experiments/" + id, org.token()), 200);
    assertThat(experiment.path("status").asText()).isEqualTo("lost");
    assertThat(experiment.path("error").asText()).contains("no longer exists");
    assertThat(experiment.path("finished_at").asText()).isNotBlank();
  }

  @Test
  void sweep_leavesFinishedExperimentsAlone() throws Exception {
    TestOrg org = newOrg();
    createTwoReleases(org, "qa");
    String id = start(org, Map.of("flow", "qa", "dataset_id", uploadDataset(org, QA_DATASET))).path("id").asText();
    finished(org, id);

    sweeper.sweep();

    assertThat(ok(http.get("/api/v1/experiments/" + id, org.token()), 200).path("status").asText())
        .isEqualTo("completed");
  }
}
