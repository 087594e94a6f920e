package io.durableflows.workflows.memory;

/**
 * What a completed run of a session adds to its conversation: the user's words and the answer. The store writes
 * it with the run's outcome, keyed by the run, so a retried write never adds it twice.
 */
public record ConversationTurn(String sessionId, String userText, String assistantText) {}
