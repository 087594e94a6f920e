package io.durableflows.activities.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableflows.workflows.tools.ToolFailures;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonPathTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode DOC = json("""
      {"store": {
         "name": "Corner",
         "items": [
           {"name": "apple", "price": 1.5, "tags": ["fruit", "red"]},
           {"name": "pen", "price": 2}
         ],
         "open": true,
         "owner": null,
         "empty": [],
         "first name": "Ann",
         "it's": "quoted",
         "a.b": "dotted"
      }}""");

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<JsonNode> select(String path) {
    return JsonPath.compile(path).select(DOC);
  }

  private static JsonNode one(String path) {
    List<JsonNode> found = select(path);
    assertThat(found).hasSize(1);
    return found.getFirst();
  }

  private static ApplicationFailure failureOf(String path) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, () -> select(path));
    assertThat(failure).as("%s should fail", path).isNotNull();
    assertThat(failure.isNonRetryable()).isTrue();
    return failure;
  }

  private static void assertNoValue(String path, String reason) {
    ApplicationFailure failure = failureOf(path);
    assertThat(failure.getType()).isEqualTo(ToolFailures.TOOL_ERROR);
    assertThat(failure.getOriginalMessage()).isEqualTo("no value at path " + path + ": " + reason);
  }

  private static void assertInvalid(String path, String message) {
    ApplicationFailure failure = failureOf(path);
    assertThat(failure.getType()).isEqualTo(ToolFailures.INVALID_ARGUMENTS);
    assertThat(failure.getOriginalMessage()).contains(message);
  }

  // ------------------------------------------------------------------------------------------ selection

  @Test
  void select_withRootOnly_returnsTheDocument() {
    assertThat(one("$")).isEqualTo(DOC);
  }

  @Test
  void select_withDottedMembers_walksDown() {
    assertThat(one("$.store.name").textValue()).isEqualTo("Corner");
  }

  @Test
  void select_withSingleQuotedMember_readsNamesWithSpaces() {
    assertThat(one("$.store['first name']").textValue()).isEqualTo("Ann");
  }

  @Test
  void select_withDoubleQuotedMember_readsIt() {
    assertThat(one("$[\"store\"][\"a.b\"]").textValue()).isEqualTo("dotted");
  }

  @Test
  void select_withEscapedQuoteInName_readsIt() {
    assertThat(one("$.store['it\\'s']").textValue()).isEqualTo("quoted");
  }

  @Test
  void select_withSpacesInsideBrackets_ignoresThem() {
    assertThat(one("$.store.items[ 1 ][ 'name' ]").textValue()).isEqualTo("pen");
  }

  @Test
  void select_withIndex_returnsThatElement() {
    assertThat(one("$.store.items[1].name").textValue()).isEqualTo("pen");
  }

  @Test
  void select_withNegativeIndex_countsFromTheEnd() {
    assertThat(one("$.store.items[-1].name").textValue()).isEqualTo("pen");
    assertThat(one("$.store.items[-2].name").textValue()).isEqualTo("apple");
  }

  @Test
  void select_withMemberHoldingNull_returnsTheNull() {
    assertThat(one("$.store.owner").isNull()).isTrue();
  }

  @Test
  void select_withWildcardOverArray_returnsEveryElementInOrder() {
    assertThat(select("$.store.items[*].price")).containsExactly(json("1.5"), json("2"));
  }

  @Test
  void select_withWildcardOverObject_returnsEveryMemberValueInOrder() {
    assertThat(select("$.store.items[1][*]")).containsExactly(json("\"pen\""), json("2"));
  }

  @Test
  void select_withDotWildcard_isTheSameAsBracketWildcard() {
    assertThat(select("$.store.items.*.name")).isEqualTo(select("$.store.items[*].name"));
  }

  @Test
  void select_withRecursiveDescent_findsTheMemberAtEveryDepthInDocumentOrder() {
    assertThat(select("$..name")).containsExactly(json("\"Corner\""), json("\"apple\""), json("\"pen\""));
  }

  @Test
  void select_withRecursiveDescentBelowAStep_searchesOnlyThere() {
    assertThat(select("$.store.items..name")).containsExactly(json("\"apple\""), json("\"pen\""));
  }

  @Test
  void select_withRecursiveIndex_takesThatElementOfEveryArray() {
    assertThat(select("$..[0]")).containsExactly(DOC.at("/store/items/0"), json("\"fruit\""));
  }

  @Test
  void select_withRecursiveWildcard_returnsEveryDescendant() {
    assertThat(select("$.store.items[0]..*")).containsExactly(
        json("\"apple\""), json("1.5"), json("[\"fruit\", \"red\"]"), json("\"fruit\""), json("\"red\""));
  }

  @Test
  void definite_withoutWildcardOrDescent_isTrue() {
    assertThat(JsonPath.compile("$.a[0]['b'][-1]").definite()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"$.a[*]", "$.a.*", "$..a", "$.a..[0]"})
  void definite_withWildcardOrDescent_isFalse(String path) {
    assertThat(JsonPath.compile(path).definite()).isFalse();
  }

  // ------------------------------------------------------------------------------------------ no value

  @Test
  void select_withMissingMember_namesWhereItRanOut() {
    assertNoValue("$.store.missing.deeper", "$.store has no member 'missing'");
  }

  @Test
  void select_withIndexPastTheEnd_givesTheSize() {
    assertNoValue("$.store.items[5]", "$.store.items has 2 elements, none at index 5");
  }

  @Test
  void select_withNegativeIndexBeforeTheStart_givesTheSize() {
    assertNoValue("$.store.items[-3]", "$.store.items has 2 elements, none at index -3");
  }

  @Test
  void select_withMemberOfString_saysItIsAString() {
    assertNoValue("$.store.name.first", "$.store.name is a string, not an object");
  }

  @Test
  void select_withMemberOfArray_doesNotReachIntoTheElements() {
    assertNoValue("$.store.items.name", "$.store.items is an array, not an object");
  }

  @Test
  void select_withIndexIntoObject_saysItIsAnObject() {
    assertNoValue("$.store[0]", "$.store is an object, not an array");
  }

  @Test
  void select_withWildcardOverEmptyArray_failsWithNoValue() {
    assertNoValue("$.store.empty[*]", "$.store.empty is an array with nothing in it");
  }

  @Test
  void select_withWildcardOverScalar_saysWhatItIs() {
    assertNoValue("$.store.open[*]", "$.store.open is a boolean, neither an array nor an object");
  }

  @Test
  void select_withMemberMissingFromEveryWildcardMatch_failsWithNoValue() {
    assertNoValue("$.store.items[*].color", "nothing under $.store.items[*] matches .color");
  }

  @Test
  void select_withRecursiveDescentFindingNothing_failsWithNoValue() {
    assertNoValue("$..colour", "nothing under $ matches ..colour");
  }

  @Test
  void select_withMemberOfNull_saysItIsNull() {
    assertNoValue("$.store.owner.name", "$.store.owner is null, not an object");
  }

  // ------------------------------------------------------------------------------------------ malformed

  @Test
  void compile_withoutDollar_failsInvalidArguments() {
    assertInvalid("store.name", "a path starts with '$'");
  }

  @Test
  void compile_withTrailingDot_saysANameWasExpected() {
    assertInvalid("$.store.", "the path ends at position 9 where a name or '*' was expected");
  }

  @Test
  void compile_withTripleDot_pointsAtTheThirdDot() {
    assertInvalid("$...a", "unexpected '.' at position 4 of the path: expected a name or '*'");
  }

  @Test
  void compile_withUnclosedBracket_saysABracketWasExpected() {
    assertInvalid("$.items[0", "the path ends at position 10 where ']' to close the '[' at position 8 was expected");
  }

  @Test
  void compile_withSlice_saysSlicesAreNotSupported() {
    assertInvalid("$.items[1:3]", "unexpected ':' at position 10 of the path: expected ']' to close the '[' at "
        + "position 8 (slices, unions and filters are not supported)");
  }

  @Test
  void compile_withUnion_saysUnionsAreNotSupported() {
    assertInvalid("$.items[0,1]", "unexpected ','");
  }

  @Test
  void compile_withFilter_saysFiltersAreNotSupported() {
    assertInvalid("$.items[?(@.price > 1)]", "unexpected '?' at position 9 of the path: expected an index, a "
        + "quoted name or '*' (slices, unions and filters are not supported)");
  }

  @Test
  void compile_withUnterminatedQuote_pointsAtTheOpeningQuote() {
    assertInvalid("$['store", "the name quoted at position 3 of the path has no closing '");
  }

  @Test
  void compile_withSpaceInDottedName_pointsAtIt() {
    assertInvalid("$.first name", "unexpected ' ' at position 8 of the path: expected '.' or '['");
  }

  @Test
  void compile_withIndexBeyondInt_saysItIsNotUsable() {
    assertInvalid("$[99999999999]", "'99999999999' at position 3 of the path is not a usable index");
  }

  @Test
  void compile_withLoneMinus_saysItIsNotUsable() {
    assertInvalid("$[-]", "'-' at position 3 of the path is not a usable index");
  }

  @Test
  void compile_withPathOverLengthCap_failsInvalidArguments() {
    assertInvalid("$" + ".a".repeat(250), "longer than 500 characters");
  }
}
