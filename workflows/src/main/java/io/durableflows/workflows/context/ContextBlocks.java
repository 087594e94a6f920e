package io.durableflows.workflows.context;

import java.util.List;

/**
 * Rendered skills and blocks: {@code text} is what goes into the system prompt (each part wrapped, in request
 * order: skills, then prompt blocks, then context blocks), {@code blocks} says what each part was.
 */
public record ContextBlocks(String text, List<Block> blocks) {
  public static final ContextBlocks EMPTY = new ContextBlocks("", List.of());

  public ContextBlocks {
    text = text == null ? "" : text;
    blocks = blocks == null ? List.of() : List.copyOf(blocks);
  }

  /**
   * One part. {@code kind}: {@code skill}, {@code prompt} or {@code context} (which list named it); {@code type}:
   * {@code skill}, {@code static} or {@code dynamic}; {@code cache}: {@code hit}, {@code rendered} (a dynamic block
   * rendered now) or {@code none}; {@code missing} when no skill or block has that name (nothing is injected for
   * it); {@code error} when a dynamic block failed to render.
   */
  public record Block(String name, String kind, String type, String content, String cache, boolean missing,
      String error) {}

  /** A part as it is injected: {@code <skill name="...">} or {@code <block name="...">}, body, closing tag. */
  public static String wrap(String tag, String name, String content) {
    return "<" + tag + " name=\"" + name.replace("\"", "&quot;") + "\">\n" + (content == null ? "" : content.strip())
        + "\n</" + tag + ">";
  }
}
