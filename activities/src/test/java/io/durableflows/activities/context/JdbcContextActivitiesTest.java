package io.durableflows.activities.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.durableflows.activities.support.TestDatabase;
import io.durableflows.workflows.context.ContextBlocks;
import io.durableflows.workflows.context.ContextBlocks.Block;
import io.durableflows.workflows.context.ContextRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class JdbcContextActivitiesTest {
  private final JdbcClient jdbc = JdbcClient.create(TestDatabase.dataSource());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private final JdbcContextActivities activities = new JdbcContextActivities(TestDatabase.dataSource(), clock);
  private String org;

  @BeforeEach
  void org() {
    org = "o" + UUID.randomUUID().toString().substring(0, 8);
    jdbc.sql("insert into organizations (id, org_code, name) values (:id, :code, 'T')")
        .param("id", "org_" + org).param("code", org).update();
    jdbc.sql("insert into skills (org_id, name, description, body) values (:org, 'triage', 'Sort tickets', 'Sort by urgency.')")
        .param("org", "org_" + org).update();
    jdbc.sql("insert into prompt_blocks (org_id, name, type, body) values (:org, 'tone', 'static', 'Be kind to {{user}}.')")
        .param("org", "org_" + org).update();
    jdbc.sql("""
            insert into prompt_blocks (org_id, name, type, source, ttl_seconds)
            values (:org, 'clock', 'dynamic', '{"kind": "current_time", "timezone": "Europe/Paris"}', 60)""")
        .param("org", "org_" + org).update();
  }

  private ContextRequest request(ContextRequest.Mode mode) {
    return new ContextRequest(org, "run_1", List.of("triage", "nope"), List.of("tone"), List.of("clock"),
        Map.of("user", "Ada"), mode);
  }

  private long renders() {
    return jdbc.sql("select render_count from prompt_blocks where org_id = :org and name = 'clock'")
        .param("org", "org_" + org).query(Long.class).single();
  }

  @Test
  void build_rendersSkillsStaticAndDynamicBlocksInOrder() {
    ContextBlocks built = activities.build(request(ContextRequest.Mode.BUILD));

    assertThat(built.blocks()).extracting(Block::name, Block::kind, Block::type, Block::cache, Block::missing)
        .containsExactly(tuple("triage", "skill", "skill", "none", false), tuple("nope", "skill", "skill", "none", true),
            tuple("tone", "prompt", "static", "none", false), tuple("clock", "context", "dynamic", "rendered", false));
    assertThat(built.text()).isEqualTo("""
        <skill name="triage">
        Sort by urgency.
        </skill>

        <block name="tone">
        Be kind to Ada.
        </block>

        <block name="clock">
        Current time: 2026-12-01T11:00:00+01:00 (Tuesday, Europe/Paris)
        </block>""");
  }

  @Test
  void build_servesADynamicBlockFromItsCacheUntilItExpires() {
    activities.build(request(ContextRequest.Mode.BUILD));
    clock.advance(Duration.ofSeconds(30));
    ContextBlocks second = activities.build(request(ContextRequest.Mode.BUILD));

    assertThat(second.blocks().get(3).cache()).isEqualTo("hit");
    assertThat(second.blocks().get(3).content()).contains("11:00:00");
    assertThat(renders()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(31));
    ContextBlocks third = activities.build(request(ContextRequest.Mode.BUILD));
    assertThat(third.blocks().get(3).cache()).isEqualTo("rendered");
    assertThat(third.blocks().get(3).content()).contains("11:01:01");
    assertThat(renders()).isEqualTo(2);
  }

  @Test
  void preload_rendersEvenWhenTheCacheIsFresh() {
    activities.build(request(ContextRequest.Mode.BUILD));
    activities.build(request(ContextRequest.Mode.PRELOAD));

    assertThat(renders()).isEqualTo(2);
  }

  @Test
  void build_withBadSource_reportsTheBlockAndLeavesItOut() {
    jdbc.sql("update prompt_blocks set source = '{\"kind\": \"weather\"}' where org_id = :org and name = 'clock'")
        .param("org", "org_" + org).update();

    ContextBlocks built = activities.build(request(ContextRequest.Mode.BUILD));

    assertThat(built.blocks().get(3).error()).contains("unknown source kind 'weather'");
    assertThat(built.text()).doesNotContain("clock");
  }

  @Test
  void build_skillIndex_listsTheOrgsSkills() {
    jdbc.sql("update prompt_blocks set source = '{\"kind\": \"skill_index\"}' where org_id = :org and name = 'clock'")
        .param("org", "org_" + org).update();

    assertThat(activities.build(request(ContextRequest.Mode.BUILD)).blocks().get(3).content())
        .isEqualTo("Skills available:\n- triage: Sort tickets");
  }

  @Test
  void build_forUnknownOrg_failsWithoutRetry() {
    assertThatThrownBy(() -> activities.build(ContextRequest.build("no-such-org", null, List.of("x"), null, null)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo(JdbcContextActivities.UNKNOWN_ORG);
          assertThat(f.isNonRetryable()).isTrue();
        });
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      MutableClock self = this;
      return new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return zone;
        }

        @Override
        public Clock withZone(java.time.ZoneId z) {
          return self.withZone(z);
        }

        @Override
        public Instant instant() {
          return self.now;
        }
      };
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
