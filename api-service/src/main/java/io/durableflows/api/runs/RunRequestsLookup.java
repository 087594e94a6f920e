package io.durableflows.api.runs;

import java.util.List;
import java.util.Map;

/** The approvals and questions of a run, as their own API shows them (implemented by the approvals package). */
public interface RunRequestsLookup {
  List<Map<String, Object>> ofRun(String runId);

  /** The ids of the requests each of these runs waits on, in one read. */
  Map<String, List<String>> pendingIds(List<String> runIds);
}
