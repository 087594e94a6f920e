package io.durableflows.workflows.tools;

import java.util.Map;

/**
 * What the platform knows of a tool: its name, what it does, the JSON Schema of its arguments (checked before
 * every call, and against an approver's modified arguments) and the approval policy it has unless a flow says
 * otherwise.
 */
public record ToolSpec(String name, String description, Map<String, Object> parameters,
    ToolApprovalPolicy defaultApproval) {}
