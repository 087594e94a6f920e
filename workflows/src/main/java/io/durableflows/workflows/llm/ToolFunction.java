package io.durableflows.workflows.llm;

import java.util.Map;

/** A tool as a model sees it: a name, what it does, and the JSON Schema of its arguments. */
public record ToolFunction(String name, String description, Map<String, Object> parameters) {}
