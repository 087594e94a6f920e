-- The run's event log, written with the run's outcome so streams can be replayed once the workflow is gone.
create table run_events (
  run_id     text not null references runs (id) on delete cascade,
  seq        bigint not null,
  type       text not null,
  node_id    text,
  data       jsonb,
  primary key (run_id, seq)
);

-- Per-org credit balance; every change to it is a credit_ledger row written in the same transaction.
create table credit_accounts (
  org_id     text primary key references organizations (id) on delete cascade,
  balance    numeric(18, 8) not null,
  updated_at timestamptz not null default now()
);

-- kind: grant | topup | hold | release | charge. amount is signed: holds and charges are negative.
create table credit_ledger (
  id            bigserial primary key,
  org_id        text not null references organizations (id) on delete cascade,
  run_id        text,
  kind          text not null,
  amount        numeric(18, 8) not null,
  balance_after numeric(18, 8) not null,
  note          text,
  created_at    timestamptz not null default now()
);
create index credit_ledger_org on credit_ledger (org_id, id desc);
-- A run is held, released and charged at most once, however often the outcome is recorded.
create unique index credit_ledger_run_kind on credit_ledger (run_id, kind) where run_id is not null;

-- Deleted flows remember their slug so agent routes answer 410 instead of 404.
create table flow_tombstones (
  org_id     text not null references organizations (id) on delete cascade,
  slug       text not null,
  flow_id    text not null,
  deleted_at timestamptz not null default now(),
  primary key (org_id, slug)
);

-- Integrator chat history, per caller (token) and agent (flow).
create table agent_conversations (
  org_id     text not null references organizations (id) on delete cascade,
  caller_id  text not null,
  flow_id    text not null,
  messages   jsonb not null,
  updated_at timestamptz not null default now(),
  primary key (org_id, caller_id, flow_id)
);
