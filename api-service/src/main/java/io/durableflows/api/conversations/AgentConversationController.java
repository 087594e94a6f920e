package io.durableflows.api.conversations;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.conversations.ConversationService.Conversation;
import io.durableflows.api.conversations.ConversationService.Marker;
import io.durableflows.api.conversations.ConversationService.Message;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.flows.FlowService;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.llm.ChatMessage;
import io.durableflows.workflows.memory.MemoryPrompts;
import io.durableflows.workflows.memory.Summary;
import io.durableflows.workflows.memory.SummaryRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Reference 002's agent-side conversation routes: titles (read, set, generate) and compaction. */
@RestController
class AgentConversationController {
  /** Messages a title is drawn from: the start of the conversation says what it is about. */
  private static final int TITLE_MESSAGES = 20;
  private static final int DEFAULT_KEEP = 4;
  private final ConversationService conversations;
  private final ConversationSummaries summaries;
  private final FlowService flows;

  AgentConversationController(ConversationService conversations, ConversationSummaries summaries,
      FlowService flows) {
    this.conversations = conversations;
    this.summaries = summaries;
    this.flows = flows;
  }

  @GetMapping("/api/v1/agent/conversations/{id}/title")
  Map<String, Object> title(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    return titleView(conversations.require(caller.orgId(), id));
  }

  @PutMapping("/api/v1/agent/conversations/{id}/title")
  Map<String, Object> setTitle(Caller caller, @PathVariable String id,
      @RequestBody(required = false) Map<String, Object> body) {
    caller.require("runs:write");
    Map<String, Object> b = Bodies.require(body);
    conversations.require(caller.orgId(), id);
    String title = Bodies.requiredString(b, "title", ConversationService.MAX_TITLE).strip();
    return titleView(conversations.update(caller.orgId(), id, title, null, "user"));
  }

  /** One model call (through Temporal) titles the conversation from its first messages; 400 when it has none. */
  @PostMapping("/api/v1/agent/conversations/{id}/title/generate")
  Map<String, Object> generateTitle(Caller caller, @PathVariable String id,
      @RequestBody(required = false) Map<String, Object> body) {
    caller.require("runs:write");
    Map<String, Object> b = body == null ? Map.of() : body;
    String provider = Bodies.string(b, "provider", 100, false);
    String model = Bodies.string(b, "model", 200, false);
    conversations.require(caller.orgId(), id);
    List<ChatMessage> messages = conversations.messages(caller.orgId(), id, 0, TITLE_MESSAGES).stream()
        .filter(m -> !"system".equals(m.role())).map(m -> new ChatMessage(m.role(), m.content(), null, null, null))
        .toList();
    if (messages.isEmpty()) {
      throw ApiException.badRequest("empty_conversation", "the conversation has no messages to draw a title from");
    }
    Summary summary = summaries.summarize(caller.orgCode(), id,
        new SummaryRequest(null, null, SummaryRequest.TITLE, provider, model, messages));
    Map<String, Object> out = titleView(conversations.update(caller.orgId(), id, summary.text(), null, "generated"));
    out.put("generated", true);
    out.put("provider", summary.provider());
    out.put("model", summary.model());
    out.put("usage", summary.usage().fields());
    return out;
  }

  /**
   * Compacts the conversation's history: everything but the last {@code keep_last} messages (default 4) since the
   * last compaction is summarised (with the earlier summary) by one model call through Temporal — the activity a
   * memory node's compaction uses — and recorded as a {@code compaction} marker; memory nodes then read the
   * summary and the messages after it. The agent's model summarises unless {@code provider}/{@code model} say.
   */
  @PostMapping("/api/v1/agent/{agentId}/conversations/{id}/compress")
  Map<String, Object> compress(Caller caller, @PathVariable String agentId, @PathVariable String id,
      @RequestBody(required = false) Map<String, Object> body) {
    caller.require("runs:write");
    Map<String, Object> b = body == null ? Map.of() : body;
    Integer keepLast = Bodies.integer(b, "keep_last", 0, 100);
    int keep = keepLast == null ? DEFAULT_KEEP : keepLast;
    String provider = Bodies.string(b, "provider", 100, false);
    String model = Bodies.string(b, "model", 200, false);
    FlowRecord agent = flows.find(caller.orgId(), agentId).orElseThrow(() -> {
      if (flows.tombstoned(caller.orgId(), agentId)) {
        return new ApiException(HttpStatus.GONE, "agent_tombstoned", "agent '" + agentId + "' was deleted");
      }
      return ApiException.notFound("agent '" + agentId + "'");
    });
    conversations.require(caller.orgId(), id);
    if (provider == null && model == null) {
      Map<String, Object> node = modelNode(flows.resolve(caller.orgId(), agent.id(), null).definition());
      if (node != null) {
        provider = node.get("provider") instanceof String p ? p : null;
        model = node.get("model") instanceof String m ? m : null;
      }
    }
    long upTo = conversations.compactedUpTo(caller.orgId(), id);
    List<Message> since = conversations.messages(caller.orgId(), id, upTo, Integer.MAX_VALUE);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("conversation_id", id);
    out.put("agent", agent.slug());
    if (since.size() <= keep) {
      out.put("compacted", false);
      out.put("reason", "at most " + keep + " messages since the last compaction: nothing to compact");
      out.put("kept_messages", since.size());
      return out;
    }
    List<Message> older = since.subList(0, since.size() - keep);
    List<ChatMessage> condense = new ArrayList<>();
    conversations.latestSummary(caller.orgId(), id)
        .ifPresent(s -> condense.add(ChatMessage.system(MemoryPrompts.SUMMARY_PREFIX + s)));
    older.forEach(m -> condense.add(new ChatMessage(m.role(), m.content(), null, null, null)));
    Summary summary = summaries.summarize(caller.orgCode(), id,
        new SummaryRequest(null, null, SummaryRequest.SUMMARY, provider, model, condense));
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("summary", summary.text());
    data.put("up_to_seq", older.getLast().seq());
    data.put("messages_compacted", older.size());
    data.put("kept_messages", keep);
    data.put("agent", agent.slug());
    data.put("provider", summary.provider());
    data.put("model", summary.model());
    data.put("usage", summary.usage().fields());
    Marker marker = conversations.addMarker(caller.orgId(), id, "compaction", data);
    out.put("compacted", true);
    out.put("summary", summary.text());
    out.put("messages_compacted", older.size());
    out.put("kept_messages", keep);
    out.put("marker", ConversationController.view(marker));
    return out;
  }

  /** The agent node's data (else the first llm node's): whose model summarises. */
  private static Map<String, Object> modelNode(FlowDefinition definition) {
    for (String type : List.of("agent", "llm")) {
      for (var node : definition.nodes()) {
        if (type.equals(node.type())) return node.data();
      }
    }
    return null;
  }

  private static Map<String, Object> titleView(Conversation c) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("conversation_id", c.id());
    v.put("title", c.title());
    v.put("updated_at", c.updatedAt());
    return v;
  }
}
