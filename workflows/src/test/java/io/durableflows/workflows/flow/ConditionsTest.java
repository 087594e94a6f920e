package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  @Test
  void test_comparesJsonNumbersOfEitherKind() {
    assertThat(Conditions.test("input.amount > 1000", Map.of("amount", 1500), Map.of())).isTrue();
    assertThat(Conditions.test("input.amount > 1000", Map.of("amount", 999.5), Map.of())).isFalse();
  }

  @Test
  void test_seesEarlierNodesByIdAndThroughNodes() {
    Map<String, Object> nodes = new LinkedHashMap<>();
    nodes.put("classify", Map.of("text", "billing", "json", Map.of("score", 3)));
    nodes.put("my-node", Map.of("text", "x"));
    assertThat(Conditions.test("classify.text == 'billing' && classify.json.score >= 3", Map.of(), nodes)).isTrue();
    assertThat(Conditions.test("nodes['my-node'].text == 'x'", Map.of(), nodes)).isTrue();
  }

  @Test
  void test_handlesNullsListsAndMacros() {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("note", null);
    input.put("tags", List.of("a", "vip"));
    assertThat(Conditions.test("input.note == null && 'vip' in input.tags", input, Map.of())).isTrue();
    assertThat(Conditions.test("input.tags.exists(t, t.startsWith('v'))", input, Map.of())).isTrue();
    assertThat(Conditions.test("has(input.missing)", input, Map.of())).isFalse();
  }

  @Test
  void test_withAMissingField_failsWithAConditionError() {
    assertThatThrownBy(() -> Conditions.test("input.missing > 1", Map.of(), Map.of()))
        .isInstanceOf(Conditions.ConditionException.class).hasMessageContaining("missing");
  }

  @Test
  void test_withANonBooleanResult_fails() {
    assertThatThrownBy(() -> Conditions.test("input.x", Map.of("x", 3), Map.of()))
        .isInstanceOf(Conditions.ConditionException.class).hasMessageContaining("not a boolean");
  }

  @Test
  void problem_reportsSyntaxErrorsUnknownVariablesAndNonBooleans() {
    assertThat(Conditions.problem("input.amount >", Set.of())).isPresent();
    assertThat(Conditions.problem("nobody.text == 'x'", Set.of("classify")).orElseThrow())
        .contains("nobody");
    assertThat(Conditions.problem("1 + 2", Set.of()).orElseThrow()).contains("boolean");
    assertThat(Conditions.problem("classify.text == 'x'", Set.of("classify"))).isEmpty();
  }
}
