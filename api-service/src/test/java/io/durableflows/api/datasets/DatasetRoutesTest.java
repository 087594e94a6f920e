package io.durableflows.api.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableflows.api.support.ApiTest;
import io.durableflows.api.support.Http;
import org.junit.jupiter.api.Test;

class DatasetRoutesTest extends ApiTest {
  static final String QA_JSONL = """
      {"input": {"question": "What is the capital of France?"}, "expected": "Paris"}
      {"input": {"question": "How many legs does a spider have?"}, "expected": 8}
      {"input": {"question": "Who wrote Hamlet?"}, "expected": "Shakespeare"}
      """;

  private Http.Response upload(TestOrg org, String contentType, String body) {
    return http.postRaw("/api/v1/datasets?name=qa", org.token(), contentType, body);
  }

  private int datasetCount(TestOrg org) {
    return http.get("/api/v1/datasets", org.token()).json().path("data").size();
  }

  @Test
  void upload_jsonl_returns201WithRowCountAndFirstRows() {
    TestOrg org = newOrg();

    Http.Response r = upload(org, "application/x-ndjson", QA_JSONL);

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode dataset = r.json();
    assertThat(dataset.path("id").asText()).startsWith("file_");
    assertThat(dataset.path("object").asText()).isEqualTo("dataset");
    assertThat(dataset.path("name").asText()).isEqualTo("qa");
    assertThat(dataset.path("row_count").asInt()).isEqualTo(3);
    assertThat(dataset.path("rows").get(1).path("input").path("question").asText())
        .isEqualTo("How many legs does a spider have?");
    assertThat(dataset.path("rows").get(1).path("expected").asInt()).isEqualTo(8);
    assertThat(dataset.path("rows").get(1).path("line").asInt()).isEqualTo(2);
  }

  @Test
  void get_withPage_returnsThatPageOfRows() {
    TestOrg org = newOrg();
    String id = upload(org, "application/x-ndjson", QA_JSONL).json().path("id").asText();

    Http.Response r = http.get("/api/v1/datasets/" + id + "?page=2&page_size=2", org.token());

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("row_count").asInt()).isEqualTo(3);
    assertThat(r.json().path("rows")).hasSize(1);
    assertThat(r.json().path("rows").get(0).path("index").asInt()).isEqualTo(2);
    assertThat(r.json().path("rows").get(0).path("expected").asText()).isEqualTo("Shakespeare");
    assertThat(r.json().path("has_more").asBoolean()).isFalse();
  }

  @Test
  void upload_csv_takesTheExpectedColumnAndTheOtherColumnsAsInput() {
    TestOrg org = newOrg();

    Http.Response r = upload(org, "text/csv", "question,tone,expected\n\"Capital of France?\",plain,Paris\n");

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode row = r.json().path("rows").get(0);
    assertThat(row.path("input").size()).isEqualTo(2);
    assertThat(row.path("input").path("question").asText()).isEqualTo("Capital of France?");
    assertThat(row.path("input").path("tone").asText()).isEqualTo("plain");
    assertThat(row.path("expected").asText()).isEqualTo("Paris");
  }

  @Test
  void upload_multipartJsonl_isStoredLikeARawBody() {
    TestOrg org = newOrg();
    String body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"qa.jsonl\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + QA_JSONL + "\r\n--XyZ--\r\n";

    Http.Response r = http.postRaw("/api/v1/datasets", org.token(), "multipart/form-data; boundary=XyZ", body);

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().path("name").asText()).isEqualTo("qa.jsonl");
    assertThat(r.json().path("row_count").asInt()).isEqualTo(3);
  }

  @Test
  void upload_jsonRowsWithoutInputObject_returns400WithTheirLinesAndStoresNothing() {
    TestOrg org = newOrg();
    String body = """
        {"input": {"question": "fine"}, "expected": "x"}
        {"question": "no input here", "expected": "y"}
        {"input": "not an object", "expected": "z"}
        """;

    Http.Response r = upload(org, "application/x-ndjson", body);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_file");
    assertThat(r.json().path("error_count").asInt()).isEqualTo(2);
    assertThat(r.json().path("details").get(0).path("line").asInt()).isEqualTo(2);
    assertThat(r.json().path("details").get(0).path("message").asText()).contains("no 'input'");
    assertThat(r.json().path("details").get(1).path("line").asInt()).isEqualTo(3);
    assertThat(r.json().path("details").get(1).path("message").asText()).contains("got string");
    assertThat(datasetCount(org)).isZero();
    assertThat(http.get("/api/v1/files", org.token()).json().path("data").size()).as("no file either").isZero();
  }

  @Test
  void upload_unparsableLine_returns400WithItsLineAndStoresNothing() {
    TestOrg org = newOrg();

    Http.Response r = upload(org, "application/x-ndjson", "{\"input\": {\"q\": 1}}\n{\"input\": \n");

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("details").get(0).path("line").asInt()).isEqualTo(2);
    assertThat(datasetCount(org)).isZero();
  }

  @Test
  void upload_csvWithOnlyAnExpectedColumn_returns400() {
    TestOrg org = newOrg();

    Http.Response r = upload(org, "text/csv", "expected\nParis\n");

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().path("details").get(0).path("line").asInt()).isEqualTo(1);
    assertThat(datasetCount(org)).isZero();
  }

  @Test
  void list_showsTheOrgsDatasetsButNotItsBatchFiles() {
    TestOrg org = newOrg();
    String id = upload(org, "application/x-ndjson", QA_JSONL).json().path("id").asText();
    Http.Response batchFile = http.postRaw("/api/v1/files", org.token(), "application/x-ndjson", "{\"a\": 1}\n");
    assertThat(batchFile.status()).as(batchFile.body()).isEqualTo(201);

    JsonNode data = http.get("/api/v1/datasets", org.token()).json().path("data");

    assertThat(data).hasSize(1);
    assertThat(data.get(0).path("id").asText()).isEqualTo(id);
    assertThat(http.get("/api/v1/datasets/" + batchFile.json().path("id").asText(), org.token()).status())
        .as("a batch file is not a dataset").isEqualTo(404);
  }

  @Test
  void datasetOfAnotherOrg_isNotFound() {
    TestOrg owner = newOrg();
    TestOrg other = newOrg();
    String id = upload(owner, "application/x-ndjson", QA_JSONL).json().path("id").asText();

    assertThat(http.get("/api/v1/datasets/" + id, other.token()).status()).isEqualTo(404);
    assertThat(http.delete("/api/v1/datasets/" + id, other.token()).status()).isEqualTo(404);
    assertThat(http.get("/api/v1/datasets/" + id, owner.token()).status()).as("still there").isEqualTo(200);
  }

  @Test
  void delete_removesTheDataset() {
    TestOrg org = newOrg();
    String id = upload(org, "application/x-ndjson", QA_JSONL).json().path("id").asText();

    assertThat(http.delete("/api/v1/datasets/" + id, org.token()).status()).isEqualTo(204);

    assertThat(http.get("/api/v1/datasets/" + id, org.token()).status()).isEqualTo(404);
    assertThat(datasetCount(org)).isZero();
  }
}
