-- Experiments: one flow release run over every row of a dataset, each row's output evaluated.
-- The release and the evaluators are a snapshot taken at the start; the flow's later edits do not change them.
create table experiments (
  id              text primary key,
  org_id          text not null references organizations (id) on delete cascade,
  name            text,
  flow_id         text not null,
  flow_slug       text not null,
  project_id      text,
  release_id      text not null,
  version         text not null,
  dataset_id      text not null,
  evaluators      jsonb not null,
  concurrency     integer not null,
  total           integer not null,
  status          text not null,
  workflow_id     text not null unique,
  error_message   text,
  created_at      timestamptz not null default now(),
  finished_at     timestamptz
);
create index experiments_org_created on experiments (org_id, created_at desc, id desc);

-- One row per dataset row once it has finished. Input and expected are copied from the dataset so an experiment
-- still reads whole after its dataset is deleted; the run's output, usage and latency from its runs row.
create table experiment_rows (
  experiment_id     text not null references experiments (id) on delete cascade,
  row_index         integer not null,
  run_id            text,
  status            text not null,
  input             json,
  expected          json,
  output            json,
  latency_ms        bigint,
  prompt_tokens     bigint not null default 0,
  completion_tokens bigint not null default 0,
  cost_usd          numeric(18, 8) not null default 0,
  eval_tokens       bigint not null default 0,
  eval_cost_usd     numeric(18, 8) not null default 0,
  score             double precision,
  passed            boolean,
  evaluations       jsonb not null default '[]',
  error_type        text,
  error_message     text,
  finished_at       timestamptz not null default now(),
  primary key (experiment_id, row_index)
);
