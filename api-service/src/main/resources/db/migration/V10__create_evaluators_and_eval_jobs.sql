-- Evaluators attached to a flow; autoRun ones run after every run that selects no others.
create table evaluators (
  id          text primary key,
  org_id      text not null references organizations (id) on delete cascade,
  flow_id     text not null references flows (id) on delete cascade,
  name        text not null,
  kind        text not null,
  config      json not null,
  auto_run    boolean not null default false,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index evaluators_flow on evaluators (flow_id, created_at, id);

-- One eval job per evaluated run and request: the selection is a snapshot (evaluators edited later do not change
-- it). A pending job has a row but maybe no workflow yet; the API's start-up sweep starts those.
create table eval_jobs (
  id           text primary key,
  org_id       text not null references organizations (id) on delete cascade,
  run_id       text not null,
  flow_slug    text not null,
  status       text not null,
  selection    json not null,
  workflow_id  text not null unique,
  passed       integer,
  failed       integer,
  errored      integer,
  score_mean   double precision,
  prompt_tokens     bigint not null default 0,
  completion_tokens bigint not null default 0,
  cost_usd     numeric(18, 8) not null default 0,
  error        text,
  created_at   timestamptz not null default clock_timestamp(),
  started_at   timestamptz,
  finished_at  timestamptz
);
create index eval_jobs_open on eval_jobs (created_at) where status in ('pending', 'running');
create index eval_jobs_run on eval_jobs (run_id);

create table eval_results (
  job_id            text not null references eval_jobs (id) on delete cascade,
  idx               integer not null,
  evaluator_id      text,
  name              text not null,
  kind              text not null,
  score             double precision,
  passed            boolean,
  reason            text,
  prompt_tokens     bigint not null default 0,
  completion_tokens bigint not null default 0,
  cost_usd          numeric(18, 8) not null default 0,
  duration_ms       bigint not null default 0,
  error             text,
  created_at        timestamptz not null default clock_timestamp(),
  primary key (job_id, idx)
);
