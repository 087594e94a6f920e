package io.durableflows.api.conversations;

import io.durableflows.api.auth.Caller;
import io.durableflows.api.compat.ChatInputs;
import io.durableflows.api.conversations.ConversationService.Conversation;
import io.durableflows.api.conversations.ConversationService.Marker;
import io.durableflows.api.conversations.ConversationService.Message;
import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.flows.ResolvedFlow;
import io.durableflows.api.runs.RunRecord;
import io.durableflows.api.runs.RunResponses;
import io.durableflows.api.runs.RunService;
import io.durableflows.api.runs.RunService.CompletedRun;
import io.durableflows.api.runs.RunService.RunCommand;
import io.durableflows.api.support.AsyncRequests;
import io.durableflows.api.support.Cursors;
import io.durableflows.activities.memory.MemoryActivitiesImpl;
import io.durableflows.workflows.flow.InputSchema;
import io.durableflows.workflows.llm.ChatMessage;
import jakarta.servlet.http.HttpServletRequest;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reference 002's conversations: a conversation is a session, its messages the turns of its runs and more. */
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationController {
  private static final Set<String> ROLES = Set.of("user", "assistant", "system");
  private static final String CHANNEL = "conversation";
  private final ConversationService conversations;
  private final FlowService flows;
  private final RunService runs;
  private final JdbcClient jdbc;

  ConversationController(ConversationService conversations, FlowService flows, RunService runs, JdbcClient jdbc) {
    this.conversations = conversations;
    this.flows = flows;
    this.runs = runs;
    this.jdbc = jdbc;
  }

  @PostMapping
  ResponseEntity<Map<String, Object>> create(Caller caller, @RequestBody(required = false) Map<String, Object> body) {
    caller.require("runs:write");
    Map<String, Object> b = body == null ? Map.of() : body;
    String title = Bodies.string(b, "title", ConversationService.MAX_TITLE, false);
    String agent = Bodies.string(b, "agent", 200, false);
    String flow = Bodies.string(b, "flow", 200, false);
    if (agent != null && flow != null && !agent.equals(flow)) {
      throw ApiException.badRequest("invalid_request", "give agent or flow, not both");
    }
    String ref = agent != null ? agent : flow;
    String slug = ref == null ? null : flows.find(caller.orgId(), ref)
        .orElseThrow(() -> ApiException.notFound((agent != null ? "agent '" : "flow '") + ref + "'")).slug();
    Map<String, Object> metadata = Bodies.object(b, "metadata");
    Conversation created = conversations.create(caller.orgId(), title, slug, metadata);
    return ResponseEntity.status(HttpStatus.CREATED).body(view(created));
  }

  @GetMapping
  Map<String, Object> list(Caller caller, @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "20") int limit) {
    caller.require("runs:read");
    Cursors.limit(limit, 100);
    Cursors.Position after = Cursors.decode(cursor);
    List<Conversation> page = conversations.page(caller.orgId(), after == null ? null : after.createdAt(),
        after == null ? null : after.id(), limit + 1);
    return Cursors.page(page, limit, c -> new Cursors.Position(c.createdAt(), c.id()), ConversationController::view);
  }

  @GetMapping("/search")
  Map<String, Object> search(Caller caller, @RequestParam(required = false) String q,
      @RequestParam(required = false) String cursor, @RequestParam(defaultValue = "20") int limit) {
    caller.require("runs:read");
    if (q == null || q.isBlank()) throw ApiException.badRequest("invalid_request", "q is required: the text to find");
    if (q.length() > 500) throw ApiException.badRequest("invalid_request", "q must be at most 500 characters");
    Cursors.limit(limit, 100);
    Cursors.Position after = Cursors.decode(cursor);
    String query = q.strip();
    List<Conversation> page = conversations.search(caller.orgId(), query, after == null ? null : after.createdAt(),
        after == null ? null : after.id(), limit + 1);
    return Cursors.page(page, limit, c -> new Cursors.Position(c.createdAt(), c.id()), c -> {
      Map<String, Object> v = view(c);
      v.put("title_matches", c.title() != null && c.title().toLowerCase().contains(query.toLowerCase()));
      v.put("matches", conversations.matchingMessages(caller.orgId(), c.id(), query, 3).stream()
          .map(m -> snippet(m, query)).toList());
      return v;
    });
  }

  @GetMapping("/{id}")
  Map<String, Object> get(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    return view(conversations.require(caller.orgId(), id));
  }

  @PutMapping("/{id}")
  Map<String, Object> update(Caller caller, @PathVariable String id,
      @RequestBody(required = false) Map<String, Object> body) {
    caller.require("runs:write");
    Map<String, Object> b = Bodies.require(body);
    conversations.require(caller.orgId(), id);
    String title = Bodies.string(b, "title", ConversationService.MAX_TITLE, false);
    Map<String, Object> metadata = Bodies.object(b, "metadata");
    if (title == null && metadata == null) {
      throw ApiException.badRequest("invalid_request", "give title and/or metadata to change");
    }
    return view(conversations.update(caller.orgId(), id, title, metadata, "user"));
  }

  @DeleteMapping("/{id}")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
    caller.require("runs:write");
    conversations.delete(caller.orgId(), id);
    return ResponseEntity.noContent().build();
  }

  @GetMapping("/{id}/messages")
  Map<String, Object> messages(Caller caller, @PathVariable String id, @RequestParam(required = false) String cursor,
      @RequestParam(defaultValue = "100") int limit) {
    caller.require("runs:read");
    conversations.require(caller.orgId(), id);
    Cursors.limit(limit, 500);
    long after = 0;
    if (cursor != null) {
      try {
        after = Long.parseLong(cursor);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid_request", "cursor is not one this API returned");
      }
    }
    List<Message> rows = conversations.messages(caller.orgId(), id, after, limit + 1);
    List<Message> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("data", shown.stream().map(ConversationController::view).toList());
    out.put("next_cursor", rows.size() > limit ? String.valueOf(shown.getLast().seq()) : null);
    return out;
  }

  /**
   * Adds a message ({@code role} user by default). With {@code "run": true} the conversation's flow answers it:
   * the run (in this session) appends the user message and the answer itself; 202 with {@code Prefer:
   * respond-async}.
   */
  @PostMapping("/{id}/messages")
  ResponseEntity<Map<String, Object>> addMessage(Caller caller, @PathVariable String id,
      @RequestBody(required = false) Map<String, Object> body, HttpServletRequest http) {
    caller.require("runs:write");
    Map<String, Object> b = Bodies.require(body);
    Conversation conversation = conversations.require(caller.orgId(), id);
    String content = Bodies.requiredString(b, "content", ConversationService.MAX_CONTENT);
    String role = Bodies.string(b, "role", 20, false);
    if (role == null) role = "user";
    if (!ROLES.contains(role)) throw ApiException.badRequest("invalid_request", "role must be user, assistant or system");
    Map<String, Object> metadata = Bodies.object(b, "metadata");
    boolean run = Boolean.TRUE.equals(Bodies.bool(b, "run"));
    if (!run) {
      return ResponseEntity.status(HttpStatus.CREATED)
          .body(view(conversations.addMessage(caller.orgId(), id, role, content, metadata)));
    }
    if (!"user".equals(role)) throw ApiException.badRequest("invalid_request", "only a user message can be run");
    if (conversation.flowSlug() == null) {
      throw ApiException.badRequest("no_flow", "this conversation has no agent or flow to run: create it with one");
    }
    ResolvedFlow flow = flows.resolve(caller.orgId(), conversation.flowSlug(), null);
    List<Map<String, Object>> history = new ArrayList<>();
    for (Message m : conversations.allMessages(caller.orgId(), id)) history.add(Map.of("role", m.role(), "content",
        m.content()));
    history.add(Map.of("role", "user", "content", content));
    Map<String, Object> input = ChatInputs.mapInput(InputSchema.of(flow.definition()), history, content);
    RunCommand command = new RunCommand(flow.slug(), null, input, metadata, Map.of(), id, CHANNEL);
    if (AsyncRequests.requested(http)) {
      RunRecord started = runs.startInBackground(caller, flow, command, null);
      return RunResponses.accepted(started, Map.of("conversation_id", id));
    }
    CompletedRun done = runs.runAndWait(caller, flow, command, null);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("conversation_id", id);
    out.put("run_id", done.runId());
    List<Message> turn = conversations.runMessages(caller.orgId(), done.runId());
    for (Message m : turn) out.put("user".equals(m.role()) ? "message" : "reply", view(m));
    return ResponseEntity.status(HttpStatus.CREATED).body(out);
  }

  @GetMapping("/{id}/runs")
  Map<String, Object> runs(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    conversations.require(caller.orgId(), id);
    return Map.of("data", conversations.runs(caller.orgId(), id));
  }

  @GetMapping("/{id}/markers")
  Map<String, Object> markers(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    conversations.require(caller.orgId(), id);
    return Map.of("data", conversations.markers(caller.orgId(), id).stream().map(ConversationController::view)
        .toList());
  }

  /** Messages, runs and markers of the conversation in time order, each with its {@code type}: what a UI draws. */
  @GetMapping("/{id}/timeline")
  Map<String, Object> timeline(Caller caller, @PathVariable String id) {
    caller.require("runs:read");
    Conversation c = conversations.require(caller.orgId(), id);
    record Item(OffsetDateTime at, int order, long seq, Map<String, Object> view) {}
    List<Item> items = new ArrayList<>();
    for (Map<String, Object> run : conversations.runs(caller.orgId(), id)) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("type", "run");
      v.put("at", run.get("created_at"));
      v.putAll(run);
      items.add(new Item((OffsetDateTime) run.get("created_at"), 0, 0, v));
    }
    for (Message m : conversations.allMessages(caller.orgId(), id)) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("type", "message");
      v.put("at", m.createdAt());
      v.putAll(view(m));
      items.add(new Item(m.createdAt(), 1, m.seq(), v));
    }
    for (Marker m : conversations.markers(caller.orgId(), id)) {
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("type", "marker");
      v.put("at", m.createdAt());
      v.putAll(view(m));
      items.add(new Item(m.createdAt(), 2, 0, v));
    }
    items.sort(Comparator.comparing(Item::at).thenComparingInt(Item::order).thenComparingLong(Item::seq));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("conversation", view(c));
    out.put("items", items.stream().map(Item::view).toList());
    return out;
  }

  /**
   * The conversation as an OpenAI {@code messages} array: every message ({@code view=full}, the default), or what
   * a memory node would hand a model ({@code view=memory}: the last compaction's summary, then what came after).
   */
  @GetMapping("/{id}/llm-format")
  Map<String, Object> llmFormat(Caller caller, @PathVariable String id,
      @RequestParam(defaultValue = "full") String view) {
    caller.require("runs:read");
    conversations.require(caller.orgId(), id);
    List<Map<String, Object>> messages = new ArrayList<>();
    switch (view) {
      case "full" -> conversations.allMessages(caller.orgId(), id)
          .forEach(m -> messages.add(openAi(m.role(), m.content())));
      case "memory" -> MemoryActivitiesImpl.history(jdbc, caller.orgId(), id, 10_000)
          .forEach(m -> messages.add(openAi(m.role(), m.content())));
      default -> throw ApiException.badRequest("invalid_request", "view must be full or memory");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("conversation_id", id);
    out.put("format", "openai");
    out.put("messages", messages);
    return out;
  }

  private static Map<String, Object> openAi(String role, String content) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("content", content);
    return m;
  }

  static Map<String, Object> view(Conversation c) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", c.id());
    v.put("title", c.title());
    v.put("flow", c.flowSlug());
    v.put("metadata", c.metadata());
    v.put("message_count", c.messageCount());
    v.put("last_message_at", c.lastMessageAt());
    v.put("created_at", c.createdAt());
    v.put("updated_at", c.updatedAt());
    return v;
  }

  static Map<String, Object> view(Message m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", m.id());
    v.put("seq", m.seq());
    v.put("role", m.role());
    v.put("content", m.content());
    v.put("run_id", m.runId());
    v.put("metadata", m.metadata());
    v.put("created_at", m.createdAt());
    return v;
  }

  static Map<String, Object> view(Marker m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", m.id());
    v.put("kind", m.kind());
    v.put("data", m.data());
    v.put("created_at", m.createdAt());
    return v;
  }

  private static Map<String, Object> snippet(Message m, String q) {
    String text = m.content();
    int at = text.toLowerCase().indexOf(q.toLowerCase());
    int from = Math.max(0, at < 0 ? 0 : at - 60);
    int to = Math.min(text.length(), (at < 0 ? 0 : at + q.length()) + 100);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("message_id", m.id());
    v.put("role", m.role());
    v.put("snippet", (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : ""));
    return v;
  }
}
