package io.durableflows.workflows.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ToolApprovalPolicyTest {
  /** A policy of one rule, as a flow writes it. */
  private static Map<String, Object> rule(String argument, String operator, Object value) {
    Map<String, Object> rule = new HashMap<>();
    rule.put("argument", argument);
    rule.put("operator", operator);
    if (value != null) rule.put("value", value);
    return rule;
  }

  private static Map<String, Object> rules(String match, Map<?, ?>... rules) {
    Map<String, Object> policy = new HashMap<>();
    policy.put("rules", List.of(rules));
    if (match != null) policy.put("match", match);
    return policy;
  }

  /** Parses a policy the validator accepts (checked, so a bad fixture fails loudly) and evaluates it. */
  private static ToolApprovalPolicy.Evaluation evaluate(Object policy, Map<String, Object> arguments) {
    assertThat(ToolApprovalPolicy.problems(policy)).as("problems of the policy under test").isEmpty();
    return ToolApprovalPolicy.parse(policy, ToolApprovalPolicy.NEVER_POLICY).evaluate(arguments);
  }

  private static boolean required(Map<String, Object> rule, Map<String, Object> arguments) {
    return evaluate(rules(null, rule), arguments).required();
  }

  private static final Map<String, Object> PAYMENT = Map.of(
      "amount", 250,
      "currency", "EUR",
      "note", "refund for order 42",
      "tags", List.of("refund", "vip"),
      "payee", Map.of("name", "Ada", "country", "FR"),
      "items", List.of(Map.of("price", 200), Map.of("price", 50)));

  // ------------------------------------------------------------------------------------------ problems

  static Stream<Arguments> usablePolicies() {
    return Stream.of(
        Arguments.of("absent", null),
        Arguments.of("always", "always"),
        Arguments.of("never", "never"),
        Arguments.of("mode always without rules", Map.of("mode", "always")),
        Arguments.of("mode never without rules", Map.of("mode", "never")),
        Arguments.of("one gt rule", rules(null, rule("amount", "gt", 100))),
        Arguments.of("match all", rules("all", rule("amount", "gt", 100), rule("currency", "equals", "USD"))),
        Arguments.of("match any", rules("any", rule("amount", "gt", 100))),
        Arguments.of("mode rules", Map.of("mode", "rules", "rules", List.of(rule("a", "exists", null)))),
        Arguments.of("exists without value", rules(null, rule("payee.country", "exists", null))),
        Arguments.of("not_exists without value", rules(null, rule("payee.iban", "not_exists", null))),
        Arguments.of("in with an array", rules(null, rule("currency", "in", List.of("EUR", "USD")))),
        Arguments.of("matches with a valid regex", rules(null, rule("note", "matches", "^refund\\b"))),
        Arguments.of("equals false", rules(null, rule("urgent", "equals", false))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usablePolicies")
  void problems_ofAUsablePolicy_areNone(String name, Object policy) {
    assertThat(ToolApprovalPolicy.problems(policy)).isEmpty();
  }

  @Test
  void problems_ofAnUnknownWord_listTheAcceptedForms() {
    assertThat(ToolApprovalPolicy.problems("sometimes")).singleElement().asString().contains("\"always\"");
  }

  @Test
  void problems_ofANonObject_sayItMustBeAnObjectWithRules() {
    assertThat(ToolApprovalPolicy.problems(List.of("always"))).singleElement().asString().contains("rules");
  }

  @Test
  void problems_ofAnUnknownOperator_listTheOperators() {
    assertThat(ToolApprovalPolicy.problems(rules(null, rule("amount", "greater", 100))))
        .singleElement().asString().startsWith("rules[0].operator must be one of").contains("gt", "matches");
  }

  @Test
  void problems_ofAMissingValue_sayItIsRequired() {
    assertThat(ToolApprovalPolicy.problems(rules(null, rule("currency", "equals", null))))
        .containsExactly("rules[0].value is required for equals");
  }

  @Test
  void problems_ofABadRegex_sayItIsNotARegularExpression() {
    assertThat(ToolApprovalPolicy.problems(rules(null, rule("note", "matches", "(unclosed"))))
        .containsExactly("rules[0].value is not a valid regular expression");
  }

  @ParameterizedTest
  @ValueSource(strings = {"gt", "gte", "lt", "lte"})
  void problems_ofANonNumberForAComparison_sayItMustBeANumber(String operator) {
    assertThat(ToolApprovalPolicy.problems(rules(null, rule("amount", operator, "100"))))
        .containsExactly("rules[0].value must be a number for " + operator);
  }

  @Test
  void problems_ofANonArrayForIn_sayItMustBeAnArray() {
    assertThat(ToolApprovalPolicy.problems(rules(null, rule("currency", "not_in", "EUR"))))
        .containsExactly("rules[0].value must be an array for not_in");
  }

  @Test
  void problems_ofEmptyRules_sayRulesMustBeNonEmpty() {
    assertThat(ToolApprovalPolicy.problems(Map.of("rules", List.of())))
        .containsExactly("rules must be a non-empty array");
  }

  @Test
  void problems_ofAnObjectWithoutRules_sayRulesMustBeNonEmpty() {
    assertThat(ToolApprovalPolicy.problems(Map.of("match", "any")))
        .containsExactly("rules must be a non-empty array");
  }

  @Test
  void problems_ofABadMatch_sayAnyOrAll() {
    assertThat(ToolApprovalPolicy.problems(rules("most", rule("amount", "gt", 100))))
        .containsExactly("match must be \"any\" or \"all\"");
  }

  @Test
  void problems_ofABadMode_sayAlwaysNeverOrRules() {
    assertThat(ToolApprovalPolicy.problems(Map.of("mode", "sometimes")))
        .contains("mode must be always, never or rules");
  }

  @Test
  void problems_ofAnUnknownPolicyProperty_nameIt() {
    Map<String, Object> policy = rules(null, rule("amount", "gt", 100));
    policy.put("when", "later");

    assertThat(ToolApprovalPolicy.problems(policy)).containsExactly("'when' is not a policy property");
  }

  @Test
  void problems_ofAnUnknownRuleProperty_nameIt() {
    Map<String, Object> rule = rule("payee", "exists", null);
    rule.put("valeu", 3);

    assertThat(ToolApprovalPolicy.problems(rules(null, rule))).containsExactly("rules[0]: 'valeu' is not a rule property");
  }

  @Test
  void problems_ofARuleWithoutArgument_sayItMustNameOne() {
    assertThat(ToolApprovalPolicy.problems(rules(null, rule(" ", "gt", 100))))
        .containsExactly("rules[0].argument must name an argument (a dot path)");
  }

  @Test
  void problems_ofARuleThatIsNotAnObject_nameItsIndex() {
    assertThat(ToolApprovalPolicy.problems(Map.of("rules", List.of(rule("a", "exists", null), "amount > 100"))))
        .containsExactly("rules[1] must be an object {argument, operator, value}");
  }

  // ------------------------------------------------------------------------------------------ parse

  @Test
  void parse_ofNothing_isTheFallback() {
    assertThat(ToolApprovalPolicy.parse(null, ToolApprovalPolicy.ALWAYS_POLICY))
        .isSameAs(ToolApprovalPolicy.ALWAYS_POLICY);
  }

  @Test
  void parse_ofModeAlways_isAlways() {
    assertThat(ToolApprovalPolicy.parse(Map.of("mode", "always"), ToolApprovalPolicy.NEVER_POLICY))
        .isEqualTo(ToolApprovalPolicy.ALWAYS_POLICY);
  }

  @Test
  void parse_ofRules_keepsEachRuleAndTheMatch() {
    var policy = ToolApprovalPolicy.parse(rules("all", rule("amount", "gt", 100)), ToolApprovalPolicy.NEVER_POLICY);

    assertThat(policy).isEqualTo(new ToolApprovalPolicy(ToolApprovalPolicy.RULES,
        List.of(new ToolApprovalPolicy.Rule("amount", "gt", 100)), true));
  }

  // ------------------------------------------------------------------------------------------ evaluate

  @Test
  void evaluate_always_requiresApprovalAndSaysWhy() {
    assertThat(evaluate("always", Map.of()))
        .isEqualTo(new ToolApprovalPolicy.Evaluation(true, "this tool always needs approval"));
  }

  @Test
  void evaluate_never_requiresNoApproval() {
    assertThat(evaluate("never", PAYMENT)).isEqualTo(new ToolApprovalPolicy.Evaluation(false, null));
  }

  static Stream<Arguments> rulesThatHold() {
    return Stream.of(
        Arguments.of(rule("currency", "equals", "EUR")),
        Arguments.of(rule("amount", "equals", 250.0)),
        Arguments.of(rule("currency", "not_equals", "USD")),
        Arguments.of(rule("amount", "gt", 249.5)),
        Arguments.of(rule("amount", "gte", 250)),
        Arguments.of(rule("amount", "lt", 251)),
        Arguments.of(rule("amount", "lte", 250)),
        Arguments.of(rule("currency", "in", List.of("EUR", "GBP"))),
        Arguments.of(rule("currency", "not_in", List.of("USD", "GBP"))),
        Arguments.of(rule("note", "contains", "order")),
        Arguments.of(rule("tags", "contains", "vip")),
        Arguments.of(rule("note", "matches", "order \\d+$")),
        Arguments.of(rule("payee", "exists", null)),
        Arguments.of(rule("payee.iban", "not_exists", null)));
  }

  @ParameterizedTest
  @MethodSource("rulesThatHold")
  void evaluate_withARuleThatHolds_requiresApproval(Map<String, Object> rule) {
    assertThat(required(rule, PAYMENT)).isTrue();
  }

  static Stream<Arguments> rulesThatDoNotHold() {
    return Stream.of(
        Arguments.of(rule("currency", "equals", "USD")),
        Arguments.of(rule("currency", "not_equals", "EUR")),
        Arguments.of(rule("amount", "gt", 250)),
        Arguments.of(rule("amount", "gte", 250.01)),
        Arguments.of(rule("amount", "lt", 250)),
        Arguments.of(rule("amount", "lte", 249)),
        Arguments.of(rule("currency", "in", List.of("USD", "GBP"))),
        Arguments.of(rule("currency", "not_in", List.of("EUR"))),
        Arguments.of(rule("note", "contains", "invoice")),
        Arguments.of(rule("tags", "contains", "new")),
        Arguments.of(rule("note", "matches", "^order")),
        Arguments.of(rule("payee.iban", "exists", null)),
        Arguments.of(rule("payee", "not_exists", null)));
  }

  @ParameterizedTest
  @MethodSource("rulesThatDoNotHold")
  void evaluate_withARuleThatDoesNotHold_requiresNoApproval(Map<String, Object> rule) {
    assertThat(required(rule, PAYMENT)).isFalse();
  }

  @Test
  void evaluate_withADotPath_readsNestedObjects() {
    assertThat(required(rule("payee.country", "equals", "FR"), PAYMENT)).isTrue();
  }

  @Test
  void evaluate_withAListIndexInThePath_readsThatItem() {
    assertThat(required(rule("items.0.price", "gt", 100), PAYMENT)).isTrue();
    assertThat(required(rule("items.1.price", "gt", 100), PAYMENT)).isFalse();
  }

  @Test
  void evaluate_withAListIndexPastTheEnd_findsNothing() {
    assertThat(required(rule("items.5.price", "exists", null), PAYMENT)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"gt", "gte", "lt", "lte"})
  void evaluate_withTheArgumentMissing_neverTripsAComparison(String operator) {
    assertThat(required(rule("amount", operator, 0), Map.of("currency", "EUR"))).isFalse();
  }

  @Test
  void evaluate_withANonNumberArgument_neverTripsGt() {
    assertThat(required(rule("amount", "gt", 100), Map.of("amount", "5000"))).isFalse();
  }

  @Test
  void evaluate_withMatchAnyAndOneRuleHolding_requiresApproval() {
    var policy = rules("any", rule("amount", "gt", 1000), rule("currency", "equals", "EUR"));

    assertThat(evaluate(policy, PAYMENT).required()).isTrue();
  }

  @Test
  void evaluate_withoutMatch_behavesAsAny() {
    var policy = rules(null, rule("amount", "gt", 1000), rule("currency", "equals", "EUR"));

    assertThat(evaluate(policy, PAYMENT).required()).isTrue();
  }

  @Test
  void evaluate_withMatchAllAndOneRuleFailing_requiresNoApproval() {
    var policy = rules("all", rule("amount", "gt", 1000), rule("currency", "equals", "EUR"));

    assertThat(evaluate(policy, PAYMENT)).isEqualTo(new ToolApprovalPolicy.Evaluation(false, null));
  }

  @Test
  void evaluate_withMatchAllAndEveryRuleHolding_requiresApproval() {
    var policy = rules("all", rule("amount", "gt", 100), rule("currency", "equals", "EUR"));

    assertThat(evaluate(policy, PAYMENT).required()).isTrue();
  }

  @Test
  void evaluate_withMatchAny_reasonListsTheRulesThatHeld() {
    var policy = rules("any", rule("amount", "gt", 100), rule("currency", "equals", "USD"),
        rule("payee", "exists", null));

    assertThat(evaluate(policy, PAYMENT).reason())
        .isEqualTo("approval rule matched: amount gt 100, payee exists");
  }

  @Test
  void evaluate_withMatchAll_reasonJoinsTheRulesWithAnd() {
    var policy = rules("all", rule("amount", "gt", 100), rule("currency", "in", List.of("EUR")));

    assertThat(evaluate(policy, PAYMENT).reason())
        .isEqualTo("approval rule matched: amount gt 100 and currency in [EUR]");
  }

  @Test
  void evaluate_withNoRuleHolding_givesNoReason() {
    assertThat(evaluate(rules(null, rule("amount", "gt", 1000)), PAYMENT))
        .isEqualTo(new ToolApprovalPolicy.Evaluation(false, null));
  }

  @Test
  void evaluate_withARegexThatBacktracksWithoutEnd_givesUpAndAsksForApproval() {
    ToolApprovalPolicy policy = ToolApprovalPolicy.parse(Map.of("rules", List.of(
        Map.of("argument", "text", "operator", "matches", "value", "(.*a){12}b"))), ToolApprovalPolicy.NEVER_POLICY);

    // Unbounded, this match takes the JDK's engine minutes for 40 characters.
    assertThat(policy.evaluate(Map.of("text", "a".repeat(40))).required()).isTrue();
  }
}
