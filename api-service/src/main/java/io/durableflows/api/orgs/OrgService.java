package io.durableflows.api.orgs;

import io.durableflows.api.errors.ApiException;
import io.durableflows.api.projects.ProjectService;
import io.durableflows.api.support.Ids;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class OrgService {
  public static final Pattern ORG_CODE = Pattern.compile("^[a-z0-9][a-z0-9-]{1,39}$");
  private final JdbcClient jdbc;
  private final ProjectService projects;

  public OrgService(JdbcClient jdbc, ProjectService projects) {
    this.jdbc = jdbc;
    this.projects = projects;
  }

  /** Creates the org with its {@code default} project. */
  @Transactional
  public Organization create(String orgCode, String name) {
    if (orgCode == null || !ORG_CODE.matcher(orgCode).matches()) {
      throw ApiException.badRequest("invalid_request",
          "org_code is required: 2-40 lowercase letters, digits or '-', starting with a letter or digit");
    }
    if (find(orgCode).isPresent()) {
      throw ApiException.conflict("org_exists", "organization '" + orgCode + "' already exists");
    }
    String id = Ids.newId("org");
    OffsetDateTime created = jdbc.sql("insert into organizations (id, org_code, name) values (:id, :code, :name) returning created_at")
        .param("id", id).param("code", orgCode).param("name", name == null || name.isBlank() ? orgCode : name)
        .query(OffsetDateTime.class).single();
    projects.createDefault(id);
    return new Organization(id, orgCode, name == null || name.isBlank() ? orgCode : name, created);
  }

  public Optional<Organization> find(String orgCode) {
    return jdbc.sql("select id, org_code, name, created_at from organizations where org_code = :code")
        .param("code", orgCode)
        .query((rs, n) -> new Organization(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getObject(4, OffsetDateTime.class)))
        .optional();
  }

  public List<Organization> list() {
    return jdbc.sql("select id, org_code, name, created_at from organizations order by created_at, id")
        .query((rs, n) -> new Organization(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getObject(4, OffsetDateTime.class)))
        .list();
  }

  public long count() {
    return jdbc.sql("select count(*) from organizations").query(Long.class).single();
  }
}
