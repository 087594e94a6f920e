package io.durableflows.workflows.events;

import java.util.List;

/** Events after a reader's sequence number; {@code finished} once the log holds its {@code done} event. */
public record EventPage(List<RunEvent> events, boolean finished) {}
