package io.durableflows.api.projects;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.support.Ids;
import io.durableflows.workflows.flow.FlowValidator;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Projects group an org's flows; every org has {@code default}. Addressed by id or slug. */
@Service
public class ProjectService {
  public static final String DEFAULT = "default";
  private static final String ID_KIND = "prj";
  private static final RowMapper<Project> ROW = (rs, n) -> new Project(rs.getString("id"), rs.getString("slug"),
      rs.getString("name"), rs.getString("description"), rs.getObject("created_at", OffsetDateTime.class));
  private final JdbcClient jdbc;

  public ProjectService(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void createDefault(String orgId) {
    insert(orgId, DEFAULT, "Default project", null);
  }

  public Project create(String orgId, String slug, String name, String description) {
    if (slug == null || !FlowValidator.SLUG.matcher(slug).matches()) {
      throw ApiException.badRequest("invalid_request", "slug is required: lowercase letters, digits, '-' or '_'");
    }
    if (Ids.looksLikeId(ID_KIND, slug)) {
      throw ApiException.badRequest("invalid_request", "slug must not start with '" + ID_KIND + "_', which project ids use");
    }
    if (find(orgId, slug).isPresent()) {
      throw ApiException.conflict("project_exists", "project '" + slug + "' already exists");
    }
    return insert(orgId, slug, name == null || name.isBlank() ? slug : name, description);
  }

  private Project insert(String orgId, String slug, String name, String description) {
    String id = Ids.newId(ID_KIND);
    return jdbc.sql("""
            insert into projects (id, org_id, slug, name, description) values (:id, :org, :slug, :name, :description)
            returning id, slug, name, description, created_at""")
        .param("id", id).param("org", orgId).param("slug", slug).param("name", name).param("description", description)
        .query(ROW).single();
  }

  public Optional<Project> find(String orgId, String idOrSlug) {
    return jdbc.sql("select * from projects where org_id = :org and (id = :ref or slug = :ref) order by (id = :ref) desc limit 1")
        .param("org", orgId).param("ref", idOrSlug).query(ROW).optional();
  }

  public Project require(String orgId, String idOrSlug) {
    return find(orgId, idOrSlug).orElseThrow(() -> ApiException.notFound("project '" + idOrSlug + "'"));
  }

  public List<Project> list(String orgId) {
    return jdbc.sql("select * from projects where org_id = :org order by created_at, id").param("org", orgId).query(ROW).list();
  }
}
