package io.durableflows.api.flows;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.projects.Project;
import io.durableflows.api.projects.ProjectService;
import io.durableflows.api.support.Ids;
import io.durableflows.api.support.Json;
import io.durableflows.workflows.flow.FieldError;
import io.durableflows.workflows.flow.FlowDefinition;
import io.durableflows.workflows.flow.FlowValidator;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class FlowService {
  /** The version label of runs of an unpublished flow. */
  public static final String DRAFT = "draft";
  private static final String ID_KIND = "flw";
  private static final Pattern VERSION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$");
  private static final String SELECT_FLOW = """
      select f.*, p.slug as project_slug,
        (select r.version from flow_releases r where r.flow_id = f.id order by r.seq desc limit 1) as latest_version
      from flows f join projects p on p.id = f.project_id
      """;
  private final JdbcClient jdbc;
  private final Json json;
  private final ProjectService projects;
  private final RowMapper<FlowRecord> flowRow;
  private final RowMapper<ReleaseRecord> releaseRow;

  public FlowService(JdbcClient jdbc, Json json, ProjectService projects) {
    this.jdbc = jdbc;
    this.json = json;
    this.projects = projects;
    this.flowRow = (rs, n) -> new FlowRecord(rs.getString("id"), rs.getString("org_id"), rs.getString("project_id"),
        rs.getString("project_slug"), rs.getString("slug"), rs.getString("name"), rs.getString("description"),
        json.readMap(rs.getString("definition")), rs.getString("draft_history_id"), rs.getString("latest_version"),
        rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    this.releaseRow = (rs, n) -> new ReleaseRecord(rs.getString("id"), rs.getString("flow_id"),
        rs.getString("version"), rs.getInt("seq"), json.readMap(rs.getString("definition")),
        rs.getString("flow_history_id"), rs.getString("notes"), rs.getObject("created_at", OffsetDateTime.class));
  }

  /** Saves a new flow's draft; the document may name a {@code project} (id or slug, default {@code default}). */
  @Transactional
  public FlowRecord create(String orgId, Map<String, Object> document) {
    Map<String, Object> doc = new LinkedHashMap<>(document);
    Object projectRef = doc.remove("project");
    if (projectRef != null && !(projectRef instanceof String)) {
      throw ApiException.invalid("invalid_flow", "the flow definition is invalid",
          List.of(FieldError.of("project", "must be a project id or slug")));
    }
    FlowDefinition flow = validated(doc);
    if (Ids.looksLikeId(ID_KIND, flow.slug())) {
      throw ApiException.invalid("invalid_flow", "the flow definition is invalid",
          List.of(FieldError.of("slug", "must not start with '" + ID_KIND + "_', which flow ids use")));
    }
    Project project = projects.require(orgId, projectRef == null ? ProjectService.DEFAULT : (String) projectRef);
    if (find(orgId, flow.slug()).isPresent()) {
      throw ApiException.conflict("flow_exists", "a flow with slug '" + flow.slug() + "' already exists; PUT it to update");
    }
    String id = Ids.newId(ID_KIND);
    jdbc.sql("""
            insert into flows (id, org_id, project_id, slug, name, description, definition, draft_history_id)
            values (:id, :org, :project, :slug, :name, :description, cast(:definition as json), :history)""")
        .param("id", id).param("org", orgId).param("project", project.id()).param("slug", flow.slug())
        .param("name", flow.name()).param("description", flow.description())
        .param("definition", json.write(doc)).param("history", UUID.randomUUID().toString())
        .update();
    jdbc.sql("delete from flow_tombstones where org_id = :org and slug = :slug")
        .param("org", orgId).param("slug", flow.slug()).update();
    return find(orgId, flow.slug()).orElseThrow();
  }

  /** Replaces the draft; the slug cannot change. */
  @Transactional
  public FlowRecord update(String orgId, String slug, Map<String, Object> document) {
    FlowRecord existing = require(orgId, slug);
    Map<String, Object> doc = new LinkedHashMap<>(document);
    doc.remove("project");
    Object givenSlug = doc.putIfAbsent("slug", existing.slug());
    if (givenSlug != null && !existing.slug().equals(givenSlug)) {
      throw ApiException.invalid("invalid_flow", "the flow definition is invalid",
          List.of(FieldError.of("slug", "cannot change: this flow is '" + existing.slug() + "'")));
    }
    FlowDefinition flow = validated(doc);
    jdbc.sql("""
            update flows set name = :name, description = :description, definition = cast(:definition as json),
              draft_history_id = :history, updated_at = now()
            where id = :id""")
        .param("name", flow.name()).param("description", flow.description()).param("definition", json.write(doc))
        .param("history", UUID.randomUUID().toString()).param("id", existing.id())
        .update();
    return require(orgId, existing.id());
  }

  /** Deletes the flow and leaves a tombstone under its slug (agent routes answer 410 for it). */
  @Transactional
  public void delete(String orgId, String slug) {
    FlowRecord existing = require(orgId, slug);
    jdbc.sql("delete from flows where id = :id").param("id", existing.id()).update();
    jdbc.sql("""
            insert into flow_tombstones (org_id, slug, flow_id) values (:org, :slug, :flow)
            on conflict (org_id, slug) do update set flow_id = excluded.flow_id, deleted_at = now()""")
        .param("org", orgId).param("slug", existing.slug()).param("flow", existing.id()).update();
  }

  /**
   * Whether a flow with this slug was deleted and none has taken the slug since, or {@code slugOrId} is the id of
   * a flow kept as a tombstone ({@link #tombstone}).
   */
  public boolean tombstoned(String orgId, String slugOrId) {
    return jdbc.sql("""
            select (exists (select 1 from flow_tombstones where org_id = :org and slug = :ref)
              or exists (select 1 from flows where org_id = :org and id = :ref and deleted_at is not null))""")
        .param("org", orgId).param("ref", slugOrId).query(Boolean.class).single();
  }

  /**
   * Marks the flow deleted but keeps its row and releases (the agents API deletes this way): it no longer shows
   * or runs, its slug answers 410 on agent routes, and a new flow may take the slug.
   */
  @Transactional
  public void tombstone(String orgId, String slugOrId) {
    FlowRecord existing = require(orgId, slugOrId);
    jdbc.sql("update flows set deleted_at = now(), updated_at = now() where id = :id")
        .param("id", existing.id()).update();
    jdbc.sql("""
            insert into flow_tombstones (org_id, slug, flow_id) values (:org, :slug, :flow)
            on conflict (org_id, slug) do update set flow_id = excluded.flow_id, deleted_at = now()""")
        .param("org", orgId).param("slug", existing.slug()).param("flow", existing.id()).update();
  }

  /**
   * The flow, read under a row lock held until the caller's transaction ends: read-modify-write edits of one flow
   * (the agents API's) run one after the other instead of losing each other's changes.
   */
  @Transactional
  public FlowRecord lock(String orgId, String slugOrId) {
    FlowRecord flow = require(orgId, slugOrId);
    jdbc.sql("select id from flows where id = :id for update").param("id", flow.id()).query(String.class).single();
    return require(orgId, flow.id());
  }

  public Optional<FlowRecord> find(String orgId, String slugOrId) {
    // Slugs cannot look like ids (see create); ordering by the id match keeps this a single row regardless.
    return jdbc.sql(SELECT_FLOW + " where f.org_id = :org and f.deleted_at is null and (f.slug = :ref or f.id = :ref)"
            + " order by (f.id = :ref) desc limit 1")
        .param("org", orgId).param("ref", slugOrId).query(flowRow).optional();
  }

  public FlowRecord require(String orgId, String slugOrId) {
    return find(orgId, slugOrId).orElseThrow(() -> ApiException.notFound("flow '" + slugOrId + "'"));
  }

  public List<FlowRecord> list(String orgId, String projectId) {
    return jdbc.sql(SELECT_FLOW + " where f.org_id = :org and f.deleted_at is null"
            + " and (cast(:project as text) is null or f.project_id = :project) order by f.slug")
        .param("org", orgId).param("project", projectId).query(flowRow).list();
  }

  @Transactional
  public ReleaseRecord publish(String orgId, String slug, String version, String notes) {
    FlowRecord flow = require(orgId, slug);
    // Serialises concurrent publishes of one flow so seq and auto versions stay unique.
    jdbc.sql("select id from flows where id = :id for update").param("id", flow.id()).query(String.class).single();
    int seq = jdbc.sql("select coalesce(max(seq), 0) + 1 from flow_releases where flow_id = :id")
        .param("id", flow.id()).query(Integer.class).single();
    String chosen = version;
    if (chosen == null) {
      int candidate = seq;
      while (findRelease(flow.id(), String.valueOf(candidate)).isPresent()) candidate++;
      chosen = String.valueOf(candidate);
    } else if (!VERSION.matcher(chosen).matches()) {
      throw ApiException.invalid("invalid_request", "invalid release",
          List.of(FieldError.of("version", "letters, digits, '.', '_' or '-', at most 40 characters")));
    } else if (chosen.equals(DRAFT)) {
      throw ApiException.invalid("invalid_request", "invalid release",
          List.of(FieldError.of("version", "'draft' names the unpublished definition and cannot be a release")));
    } else if (findRelease(flow.id(), chosen).isPresent()) {
      throw ApiException.conflict("release_exists", "release '" + chosen + "' of flow '" + slug + "' already exists");
    }
    String id = Ids.newId("rel");
    jdbc.sql("""
            insert into flow_releases (id, flow_id, org_id, version, seq, definition, flow_history_id, notes)
            values (:id, :flow, :org, :version, :seq, cast(:definition as json), :history, :notes)""")
        .param("id", id).param("flow", flow.id()).param("org", orgId).param("version", chosen).param("seq", seq)
        .param("definition", json.write(flow.document())).param("history", flow.draftHistoryId()).param("notes", notes)
        .update();
    return findRelease(flow.id(), chosen).orElseThrow();
  }

  public List<ReleaseRecord> releases(String orgId, String slug) {
    FlowRecord flow = require(orgId, slug);
    return jdbc.sql("select * from flow_releases where flow_id = :id order by seq desc")
        .param("id", flow.id()).query(releaseRow).list();
  }

  private Optional<ReleaseRecord> findRelease(String flowId, String version) {
    return jdbc.sql("select * from flow_releases where flow_id = :id and version = :version")
        .param("id", flowId).param("version", version).query(releaseRow).optional();
  }

  /** Release {@code version} of the flow, or (version null) its latest release; empty when there is none. */
  public Optional<ReleaseRecord> release(FlowRecord flow, String version) {
    return version != null ? findRelease(flow.id(), version)
        : jdbc.sql("select * from flow_releases where flow_id = :id order by seq desc limit 1")
            .param("id", flow.id()).query(releaseRow).optional();
  }

  /** What a run of this flow executes: release {@code version}, else the latest release, else the draft. */
  public ResolvedFlow resolve(String orgId, String slugOrId, String version) {
    FlowRecord flow = require(orgId, slugOrId);
    Optional<ReleaseRecord> release = release(flow, version);
    if (version != null && release.isEmpty()) {
      throw ApiException.notFound("release '" + version + "' of flow '" + flow.slug() + "'");
    }
    if (release.isPresent()) {
      ReleaseRecord r = release.get();
      return new ResolvedFlow(flow.id(), flow.slug(), flow.projectId(), r.id(), r.version(), r.flowHistoryId(),
          FlowDocuments.parse(r.document()));
    }
    return new ResolvedFlow(flow.id(), flow.slug(), flow.projectId(), null, DRAFT, flow.draftHistoryId(),
        FlowDocuments.parse(flow.document()));
  }

  /**
   * A flow the platform ships (e.g. a built-in capability): validated like any flow, run like any flow (its runs are
   * recorded under its slug, version {@code builtin}), but stored in no org.
   */
  public ResolvedFlow builtIn(Map<String, Object> document) {
    FlowDefinition flow = validated(document);
    return new ResolvedFlow("builtin_" + flow.slug(), flow.slug(), null, null, "builtin", "builtin/" + flow.slug(),
        flow);
  }

  private static FlowDefinition validated(Map<String, Object> doc) {
    FlowDefinition flow = FlowDocuments.parse(doc);
    List<FieldError> errors = FlowValidator.validate(flow);
    if (!errors.isEmpty()) {
      throw ApiException.invalid("invalid_flow", "the flow definition is invalid", errors);
    }
    return flow;
  }
}
