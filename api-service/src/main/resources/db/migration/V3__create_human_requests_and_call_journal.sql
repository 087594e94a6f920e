-- Approvals and questions a run waits on: written by the run workflow (it stays the truth), read by the API for
-- listing, stats and answering.
create table human_requests (
  id                text primary key,
  org_id            text not null references organizations (id) on delete cascade,
  run_id            text not null references runs (id) on delete cascade,
  flow_id           text not null,
  flow_slug         text not null,
  node_id           text not null,
  kind              text not null,            -- approval | question
  tool              text,                     -- a tool-call approval's tool
  message           text not null,
  context           jsonb,
  arguments         jsonb,                    -- the tool call's proposed arguments
  arguments_schema  jsonb,
  reason            text,                     -- why the tool's policy asked for approval
  answer_type       text,                     -- question: text | choice | json
  choices           jsonb,
  answer_schema     jsonb,
  timeout_decision  text,
  timeout_answer    jsonb,
  status            text not null,            -- pending | approved | denied | answered | expired | cancelled
  decision          text,                     -- approve | deny
  answer            jsonb,
  final_arguments   jsonb,                    -- what the tool ran with (the approver's, when modified)
  arguments_modified boolean not null default false,
  comment           text,
  responder_id      text,
  responder_name    text,
  created_at        timestamptz not null,
  expires_at        timestamptz,
  resolved_at       timestamptz,
  wait_ms           bigint
);
create index human_requests_pending on human_requests (org_id, kind, created_at, id) where status = 'pending';
create index human_requests_run on human_requests (run_id);
create index human_requests_tool on human_requests (org_id, tool, created_at) where tool is not null;
create index human_requests_org_created on human_requests (org_id, created_at);

-- Side effects of activities, once per idempotency key: a retried attempt finds the first one's result here
-- instead of calling the model or the tool again.
create table call_journal (
  idempotency_key text primary key,
  run_id          text not null,
  node_id         text not null,
  kind            text not null,              -- llm | tool
  name            text not null,              -- the tool, or provider/model
  activity_id     text,
  attempt         integer not null,
  arguments       jsonb,
  result          jsonb not null,
  created_at      timestamptz not null default now()
);
create index call_journal_run on call_journal (run_id, created_at);

alter table llm_calls add column activity_id text, add column attempt integer, add column idempotency_key text;

-- A retried POST with the same Idempotency-Key (per org) gets the same run; request_hash tells a retry from a
-- different request reusing the key.
create table idempotency_keys (
  org_id       text not null references organizations (id) on delete cascade,
  key          text not null,
  request_hash text not null,
  run_id       text not null,
  created_at   timestamptz not null default now(),
  primary key (org_id, key)
);
create index idempotency_keys_org_created on idempotency_keys (org_id, created_at);

-- Runs started with Prefer: respond-async are background tasks (cancellable as such).
alter table runs add column background boolean not null default false;
create index runs_active on runs (org_id, created_at) where status in ('running', 'waiting');
