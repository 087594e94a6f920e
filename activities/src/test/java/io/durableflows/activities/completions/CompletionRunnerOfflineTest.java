package io.durableflows.activities.completions;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.activities.llm.ModelProviders;
import io.durableflows.workflows.completions.CompletionCall;
import io.durableflows.workflows.completions.CompletionFailures;
import io.durableflows.workflows.completions.CompletionOperations;
import io.durableflows.workflows.completions.CompletionResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every completion operation against the built-in offline model: no key, deterministic, shaped as asked. */
class CompletionRunnerOfflineTest {
  private final CompletionRunner runner = new CompletionRunner(new ModelProviders(List.of(), "offline"));

  private CompletionResult run(String operation, Map<String, Object> options, Object item) {
    return runner.run(new CompletionCall("key-1", "acme", operation, options, item, null, null));
  }

  @Test
  void label_picksTheCategorySharingTheItemsWords() {
    CompletionResult result = run(CompletionOperations.LABEL,
        Map.of("categories", List.of("billing", "refund request", "shipping")),
        "I was charged twice, please refund my order");

    assertThat(result.ok()).isTrue();
    assertThat(result.output()).isEqualTo(Map.of("label", "refund request"));
    assertThat(result.usage().promptTokens()).isPositive();
  }

  @Test
  void label_withNoSharedWords_picksTheCatchAllCategory() {
    CompletionResult result = run(CompletionOperations.LABEL,
        Map.of("categories", List.of("billing", "shipping", "other")), "What a lovely morning");

    assertThat(result.output()).isEqualTo(Map.of("label", "other"));
  }

  @Test
  void label_multi_returnsEveryMatchingCategoryInCategoryOrder() {
    CompletionResult result = run(CompletionOperations.LABEL,
        Map.of("categories", List.of("shipping", "billing", "refund"), "multi", true),
        "Refund the billing error on my invoice");

    assertThat(result.output()).isEqualTo(Map.of("labels", List.of("billing", "refund")));
  }

  @Test
  void extract_fillsTheSchemaFromNamedValuesAndRecognisableOnes() {
    Map<String, Object> schema = Map.of("type", "object", "required", List.of("name", "age"), "properties", Map.of(
        "name", Map.of("type", "string"), "age", Map.of("type", "integer"),
        "email", Map.of("type", "string")));

    CompletionResult result = run(CompletionOperations.EXTRACT, Map.of("schema", schema),
        "Name: Ada Lovelace, age: 36. Write to ada@example.com for details.");

    assertThat(result.error()).isNull();
    assertThat(result.output()).isEqualTo(Map.of("name", "Ada Lovelace", "age", 36, "email", "ada@example.com"));
  }

  @Test
  void extract_whenARequiredValueIsMissing_isThatItemsSchemaMismatch() {
    Map<String, Object> schema = Map.of("type", "object", "required", List.of("order_id"), "properties",
        Map.of("order_id", Map.of("type", "integer")));

    CompletionResult result = run(CompletionOperations.EXTRACT, Map.of("schema", schema), "Where is my parcel?");

    assertThat(result.error()).isEqualTo(CompletionFailures.SCHEMA_MISMATCH);
    assertThat(result.message()).contains("order_id");
  }

  @Test
  void summarize_keepsTheLeadingSentencesWithinMaxWords() {
    CompletionResult result = run(CompletionOperations.SUMMARIZE, Map.of("max_words", 8),
        "The order shipped on Monday. It arrived on Friday in good shape. The customer is happy.");

    assertThat(result.output()).isEqualTo("The order shipped on Monday.");
  }

  @Test
  void enrich_addsTheComputedFieldsToTheItem() {
    CompletionResult result = run(CompletionOperations.ENRICH,
        Map.of("fields", Map.of("sentiment", "positive, negative or neutral", "words", "the word count")),
        Map.of("id", 7, "review", "Great product and fast delivery"));

    assertThat(result.output()).isEqualTo(Map.of("id", 7, "review", "Great product and fast delivery",
        "sentiment", "positive", "words", 5));
  }

  @Test
  void chat_answersAPromptString() {
    CompletionResult result = run(CompletionOperations.CHAT, Map.of(), "Hello there");

    assertThat((String) result.output()).contains("Hello there");
  }

  @Test
  void chat_withMessagesNotEndingWithTheUser_isAnInvalidItem() {
    CompletionResult result = run(CompletionOperations.CHAT, Map.of(),
        Map.of("messages", List.of(Map.of("role", "assistant", "content", "Hi"))));

    assertThat(result.error()).isEqualTo(CompletionFailures.INVALID_ITEM);
  }

  @Test
  void recommend_ranksCandidatesBySharedWords() {
    CompletionResult result = run(CompletionOperations.RECOMMEND,
        Map.of("count", 2, "candidates", List.of("Cooking for beginners", "Hiking boots", "Trail running shoes")),
        "I love hiking on mountain trails");

    assertThat(result.output()).isEqualTo(List.of("Hiking boots", "Trail running shoes"));
  }

  @Test
  void recommend_withoutCandidates_returnsCountRecommendations() {
    CompletionResult result = run(CompletionOperations.RECOMMEND, Map.of("count", 4), "jazz piano records");

    assertThat(result.output()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(4)
        .contains("More about jazz");
  }

  @Test
  void autocomplete_finishesThePartialLastWord() {
    CompletionResult result = run(CompletionOperations.AUTOCOMPLETE, Map.of("count", 3), "How do I res");

    assertThat(result.output()).isEqualTo(List.of("How do I reset", "How do I resolve", "How do I restart"));
  }

  @Test
  void autocomplete_ofANumber_isAnInvalidItem() {
    CompletionResult result = run(CompletionOperations.AUTOCOMPLETE, Map.of(), 42);

    assertThat(result.error()).isEqualTo(CompletionFailures.INVALID_ITEM);
    assertThat(result.usage().totalTokens()).isZero();
  }

  @Test
  void run_fillsTheTemplateFromTheItem() {
    CompletionResult result = run(CompletionOperations.RUN, Map.of("prompt", "Greet {{item.name}} from {{ item.city }}"),
        Map.of("name", "Ada", "city", "London"));

    assertThat((String) result.output()).contains("Greet Ada from London");
  }

  @Test
  void run_withATemplateFieldTheItemLacks_isAnInvalidItem() {
    CompletionResult result = run(CompletionOperations.RUN, Map.of("prompt", "Greet {{item.name}}"), Map.of());

    assertThat(result.error()).isEqualTo(CompletionFailures.INVALID_ITEM);
    assertThat(result.message()).contains("name");
  }

  @Test
  void label_withoutCategories_isInvalidOptions() {
    CompletionResult result = run(CompletionOperations.LABEL, Map.of(), "anything");

    assertThat(result.error()).isEqualTo(CompletionFailures.INVALID_OPTIONS);
    assertThat(result.message()).contains("categories");
  }

  @Test
  void sameItem_getsTheSameOutput() {
    Map<String, Object> options = Map.of("categories", List.of("billing", "shipping"));

    assertThat(run(CompletionOperations.LABEL, options, "Where is my parcel shipping?").output())
        .isEqualTo(run(CompletionOperations.LABEL, options, "Where is my parcel shipping?").output());
  }
}
