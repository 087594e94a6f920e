create table organizations (
  id          text primary key,
  org_code    text not null unique,
  name        text not null,
  created_at  timestamptz not null default now()
);

create table api_tokens (
  id           text primary key,
  org_id       text not null references organizations (id) on delete cascade,
  name         text not null,
  token_hash   text not null unique,
  token_prefix text not null,
  scopes       text[] not null,
  created_at   timestamptz not null default now(),
  revoked_at   timestamptz
);
create index api_tokens_org on api_tokens (org_id);

create table projects (
  id          text primary key,
  org_id      text not null references organizations (id) on delete cascade,
  slug        text not null,
  name        text not null,
  description text,
  created_at  timestamptz not null default now(),
  unique (org_id, slug)
);

-- Documents are json, not jsonb: users expect their key order back.
create table flows (
  id               text primary key,
  org_id           text not null references organizations (id) on delete cascade,
  project_id       text not null references projects (id),
  slug             text not null,
  name             text,
  description      text,
  definition       json not null,
  draft_history_id text not null,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now(),
  unique (org_id, slug)
);

-- Published snapshots: never updated once written.
create table flow_releases (
  id              text primary key,
  flow_id         text not null references flows (id) on delete cascade,
  org_id          text not null references organizations (id) on delete cascade,
  version         text not null,
  seq             integer not null,
  definition      json not null,
  flow_history_id text not null,
  notes           text,
  created_at      timestamptz not null default now(),
  unique (flow_id, version),
  unique (flow_id, seq)
);

-- Runs outlive their flow's deletion, so flow_id carries no foreign key.
create table runs (
  id                text primary key,
  org_id            text not null references organizations (id) on delete cascade,
  project_id        text,
  flow_id           text not null,
  flow_slug         text not null,
  release_id        text,
  version           text,
  flow_history_id   text,
  flow_session_id   text,
  channel           text not null,
  status            text not null,
  input             json not null,
  metadata          json,
  output            json,
  output_text       text,
  prompt_tokens     bigint not null default 0,
  completion_tokens bigint not null default 0,
  total_tokens      bigint not null default 0,
  cost_usd          numeric(18, 8) not null default 0,
  error_type        text,
  error_message     text,
  workflow_id       text not null unique,
  created_at        timestamptz not null default now(),
  started_at        timestamptz,
  finished_at       timestamptz,
  duration_ms       bigint
);
create index runs_org_created on runs (org_id, created_at desc, id desc);
create index runs_org_flow_created on runs (org_id, flow_slug, created_at desc, id desc);
create index runs_running on runs (status) where status = 'running';

create table llm_calls (
  run_id            text not null references runs (id) on delete cascade,
  seq               integer not null,
  node_id           text not null,
  provider          text not null,
  model             text not null,
  prompt_tokens     bigint not null,
  completion_tokens bigint not null,
  cost_usd          numeric(18, 8) not null,
  duration_ms       bigint not null,
  created_at        timestamptz not null default now(),
  primary key (run_id, seq)
);
