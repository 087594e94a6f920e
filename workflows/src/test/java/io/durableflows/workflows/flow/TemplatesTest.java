package io.durableflows.workflows.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.durableflows.workflows.flow.Templates.NodeOutput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplatesTest {
  private static Map<String, Object> context() {
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("input", Map.of(
        "question", "Why is the sky blue?",
        "count", 3,
        "ratio", 0.5,
        "flag", true,
        "user", Map.of("name", "Ada", "tags", List.of("a", "b"))));
    context.put("answer", new NodeOutput("Rayleigh scattering.", Map.of(
        "text", "Rayleigh scattering.",
        "usage", Map.of("total_tokens", 42L))));
    context.put("report", new NodeOutput(Map.of("ok", true), Map.of("json", Map.of("ok", true))));
    return context;
  }

  @Test
  void render_withInputPlaceholder_interpolatesTheValue() {
    assertThat(Templates.render("Q: {{input.question}}!", context())).isEqualTo("Q: Why is the sky blue?!");
  }

  @Test
  void render_withSpacesInsideBraces_interpolatesTheValue() {
    assertThat(Templates.render("{{ input.question }}", context())).isEqualTo("Why is the sky blue?");
  }

  @Test
  void render_withNestedPath_walksMapsAndListIndexes() {
    assertThat(Templates.render("{{input.user.name}}/{{input.user.tags.1}}", context())).isEqualTo("Ada/b");
  }

  @Test
  void render_withNodeId_rendersTheNodeValue() {
    assertThat(Templates.render("A: {{answer}}", context())).isEqualTo("A: Rayleigh scattering.");
  }

  @Test
  void render_withNodeField_rendersTheField() {
    assertThat(Templates.render("{{answer.text}} ({{answer.usage.total_tokens}})", context()))
        .isEqualTo("Rayleigh scattering. (42)");
  }

  @Test
  void render_withMissingPaths_rendersEmptyText() {
    assertThat(Templates.render("[{{input.nope}}][{{ghost.text}}][{{input.user.tags.9}}][{{input.question.x}}]",
        context())).isEqualTo("[][][][]");
  }

  @Test
  void render_withNumbersAndBooleans_rendersTheirJsonText() {
    assertThat(Templates.render("{{input.count}} {{input.ratio}} {{input.flag}}", context())).isEqualTo("3 0.5 true");
  }

  @Test
  void render_withObjectOrList_rendersCompactJson() {
    assertThat(Templates.render("{{input.user.tags}} {{report}}", context())).isEqualTo("[\"a\",\"b\"] {\"ok\":true}");
  }

  @Test
  void render_withDollarAndBackslashInValue_insertsThemLiterally() {
    Map<String, Object> context = Map.of("input", Map.of("q", "cost $1 \\o/"));

    assertThat(Templates.render("{{input.q}}", context)).isEqualTo("cost $1 \\o/");
  }

  @Test
  void render_withNullTemplate_rendersEmptyText() {
    assertThat(Templates.render(null, context())).isEmpty();
  }

  @Test
  void renderJson_withWholePlaceholder_keepsTheNumberType() {
    assertThat(Templates.renderJson("{{answer.usage.total_tokens}}", context())).isEqualTo(42L);
  }

  @Test
  void renderJson_withWholePlaceholder_keepsBooleansObjectsAndLists() {
    Object rendered = Templates.renderJson(
        Map.of("flag", "{{input.flag}}", "user", "{{input.user}}", "tags", "{{input.user.tags}}"), context());

    assertThat(rendered).isEqualTo(Map.of(
        "flag", true, "user", Map.of("name", "Ada", "tags", List.of("a", "b")), "tags", List.of("a", "b")));
  }

  @Test
  void renderJson_withPlaceholderInsideText_rendersAString() {
    assertThat(Templates.renderJson("tokens: {{answer.usage.total_tokens}}", context())).isEqualTo("tokens: 42");
  }

  @Test
  void renderJson_withWholePlaceholderToMissingPath_rendersNull() {
    assertThat(Templates.renderJson(Map.of("x", "{{input.nope}}"), context())).isEqualTo(singletonNull("x"));
  }

  @Test
  void renderJson_withNestedStructures_rendersEveryStringAndKeepsOtherValues() {
    Object template = Map.of("a", List.of("{{input.count}}", "n={{input.count}}", 7, false), "b", Map.of("c", 1.5));

    assertThat(Templates.renderJson(template, context()))
        .isEqualTo(Map.of("a", List.of(3, "n=3", 7, false), "b", Map.of("c", 1.5)));
  }

  @Test
  @SuppressWarnings("unchecked")
  void renderJson_keepsTheTemplatesKeyOrder() {
    Map<String, Object> template = new LinkedHashMap<>();
    template.put("z", "{{input.count}}");
    template.put("a", "{{input.flag}}");
    template.put("m", "x");

    var rendered = (Map<String, Object>) Templates.renderJson(template, context());

    assertThat(rendered.keySet()).containsExactly("z", "a", "m");
  }

  @Test
  void references_collectsPathsFromTextAndJsonStrings() {
    Object template = Map.of("a", List.of("{{input.q}} and {{ llm_1.text }}"), "b", 3, "c", "{{tpl}}");

    assertThat(Templates.references(template)).containsExactlyInAnyOrder("input.q", "llm_1.text", "tpl");
  }

  private static Map<String, Object> singletonNull(String key) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(key, null);
    return m;
  }
}
