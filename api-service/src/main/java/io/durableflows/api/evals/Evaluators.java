package io.durableflows.api.evals;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.flows.FlowRecord;
import io.durableflows.api.flows.FlowService;
import io.durableflows.api.support.Ids;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.evals.EvaluatorConfigs;
import io.durableflows.workflows.evals.EvaluatorKinds;
import io.durableflows.workflows.evals.EvaluatorSpec;
import io.durableflows.workflows.flow.FieldError;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The evaluators of a flow: stored per flow, checked per kind before anything is written. */
@Component
public class Evaluators {
  static final String ID_KIND = "evl";
  private static final int MAX_NAME = 100;
  private static final Set<String> FIELDS = Set.of("name", "kind", "config", "autoRun", "auto_run");
  private final JdbcClient jdbc;
  private final Json json;
  private final FlowService flows;
  private final RowMapper<Evaluator> row;

  Evaluators(JdbcClient jdbc, Json json, FlowService flows) {
    this.jdbc = jdbc;
    this.json = json;
    this.flows = flows;
    this.row = (rs, n) -> new Evaluator(rs.getString("id"), rs.getString("flow_id"), rs.getString("flow_slug"),
        rs.getString("name"), rs.getString("kind"), json.readMap(rs.getString("config")), rs.getBoolean("auto_run"),
        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
  }

  record Evaluator(String id, String flowId, String flowSlug, String name, String kind, Map<String, Object> config,
      boolean autoRun, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    EvaluatorSpec spec() {
      return new EvaluatorSpec(id, name, kind, config, autoRun);
    }

    Map<String, Object> view() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", id);
      out.put("flow", flowSlug);
      out.put("name", name);
      out.put("kind", kind);
      out.put("config", config);
      out.put("auto_run", autoRun);
      out.put("created_at", createdAt);
      out.put("updated_at", updatedAt);
      return out;
    }
  }

  /** What a request body asks for, checked. */
  private record Draft(String name, String kind, Map<String, Object> config, boolean autoRun) {}

  Evaluator create(String orgId, FlowRecord flow, Map<String, Object> body) {
    Draft d = parse(orgId, body);
    String id = Ids.newId(ID_KIND);
    jdbc.sql("""
            insert into evaluators (id, org_id, flow_id, name, kind, config, auto_run)
            values (:id, :org, :flow, :name, :kind, cast(:config as json), :auto)""")
        .param("id", id).param("org", orgId).param("flow", flow.id()).param("name", d.name()).param("kind", d.kind())
        .param("config", json.write(d.config())).param("auto", d.autoRun())
        .update();
    return require(orgId, flow, id);
  }

  /** Attaches an evaluator given as an API body to a flow of the org: the examples the embedded default loads. */
  public String attach(String orgId, String flowSlug, Map<String, Object> body) {
    return create(orgId, flows.require(orgId, flowSlug), body).id();
  }

  Evaluator replace(String orgId, FlowRecord flow, String id, Map<String, Object> body) {
    require(orgId, flow, id);
    Draft d = parse(orgId, body);
    jdbc.sql("""
            update evaluators set name = :name, kind = :kind, config = cast(:config as json), auto_run = :auto,
              updated_at = now()
            where id = :id and org_id = :org and flow_id = :flow""")
        .param("name", d.name()).param("kind", d.kind()).param("config", json.write(d.config()))
        .param("auto", d.autoRun()).param("id", id).param("org", orgId).param("flow", flow.id())
        .update();
    return require(orgId, flow, id);
  }

  void delete(String orgId, FlowRecord flow, String id) {
    int deleted = jdbc.sql("delete from evaluators where id = :id and org_id = :org and flow_id = :flow")
        .param("id", id).param("org", orgId).param("flow", flow.id()).update();
    if (deleted == 0) throw notFound(id, flow);
  }

  /** The flow's evaluators as workflows take them, oldest first (experiments pick theirs from these). */
  public List<EvaluatorSpec> specs(String orgId, FlowRecord flow) {
    return list(orgId, flow).stream().map(Evaluator::spec).toList();
  }

  List<Evaluator> list(String orgId, FlowRecord flow) {
    return jdbc.sql(SELECT + " where e.org_id = :org and e.flow_id = :flow order by e.created_at, e.id")
        .param("org", orgId).param("flow", flow.id()).query(row).list();
  }

  Optional<Evaluator> find(String orgId, FlowRecord flow, String id) {
    return jdbc.sql(SELECT + " where e.id = :id and e.org_id = :org and e.flow_id = :flow")
        .param("id", id).param("org", orgId).param("flow", flow.id()).query(row).optional();
  }

  Evaluator require(String orgId, FlowRecord flow, String id) {
    return find(orgId, flow, id).orElseThrow(() -> notFound(id, flow));
  }

  private static final String SELECT = """
      select e.*, f.slug as flow_slug from evaluators e join flows f on f.id = e.flow_id""";

  private static ApiException notFound(String id, FlowRecord flow) {
    return ApiException.notFound("evaluator '" + id + "' of flow '" + flow.slug() + "'");
  }

  @SuppressWarnings("unchecked")
  private Draft parse(String orgId, Map<String, Object> body) {
    List<FieldError> errors = new ArrayList<>();
    for (String key : body.keySet()) {
      if (!FIELDS.contains(key)) errors.add(FieldError.of(key, "is not a field of an evaluator"));
    }
    Object name = body.get("name");
    if (!(name instanceof String n) || n.isBlank()) {
      errors.add(FieldError.of("name", "is required (a non-empty string)"));
    } else if (n.length() > MAX_NAME) {
      errors.add(FieldError.of("name", "must be at most " + MAX_NAME + " characters"));
    }
    Object kind = body.get("kind");
    boolean knownKind = kind instanceof String k && EvaluatorKinds.ALL.contains(k);
    if (!knownKind) errors.add(FieldError.of("kind", "must be one of " + EvaluatorKinds.ALL));
    Object config = body.get("config") == null ? Map.of() : body.get("config");
    if (!(config instanceof Map)) errors.add(FieldError.of("config", "must be an object"));
    Object autoRun = body.containsKey("autoRun") ? body.get("autoRun") : body.get("auto_run");
    if (autoRun != null && !(autoRun instanceof Boolean)) errors.add(FieldError.of("autoRun", "must be a boolean"));
    if (knownKind && config instanceof Map<?, ?>) {
      for (String problem : EvaluatorConfigs.problems((String) kind, (Map<String, Object>) config)) {
        errors.add(asError(problem));
      }
      if (EvaluatorKinds.FLOW.equals(kind) && ((Map<String, Object>) config).get("flow") instanceof String slug
          && !slug.isBlank()) {
        publishedFlowProblem(orgId, slug, ((Map<String, Object>) config).get("version"))
            .ifPresent(p -> errors.add(FieldError.of("config.flow", p)));
      }
    }
    if (!errors.isEmpty()) throw ApiException.invalid("invalid_evaluator", "the evaluator is invalid", errors);
    return new Draft(((String) name).strip(), (String) kind, (Map<String, Object>) config, Boolean.TRUE.equals(autoRun));
  }

  /** Why {@code slug} cannot serve as an evaluation flow: it must exist and be published (in that release). */
  Optional<String> publishedFlowProblem(String orgId, String slug, Object version) {
    Optional<FlowRecord> flow = flows.find(orgId, slug);
    if (flow.isEmpty()) return Optional.of("names no flow of this organization: '" + slug + "'");
    if (flow.get().latestVersion() == null) return Optional.of("flow '" + slug + "' has no release: publish it first");
    if (version instanceof String v && flows.release(flow.get(), v).isEmpty()) {
      return Optional.of("flow '" + slug + "' has no release '" + v + "'");
    }
    return Optional.empty();
  }

  /** {@code "config.x must ..."} as a field error on {@code config.x}. */
  private static FieldError asError(String problem) {
    int space = problem.indexOf(' ');
    String head = space < 0 ? problem : problem.substring(0, space);
    if (head.startsWith("config.") || head.equals("kind")) {
      String field = head.endsWith(":") ? head.substring(0, head.length() - 1) : head;
      return FieldError.of(field, problem.substring(space + 1));
    }
    return FieldError.of("config", problem);
  }
}
