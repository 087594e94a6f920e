-- Uploaded files (issue 7): rows parsed once at upload, stored one per row so batches and datasets read them
-- by index range without re-reading the upload.
create table files (
  id         text primary key,
  org_id     text not null references organizations (id) on delete cascade,
  filename   text not null,
  format     text not null check (format in ('csv', 'json', 'jsonl')),
  purpose    text not null check (purpose in ('batch', 'dataset')),
  rows       integer not null,
  bytes      bigint not null,
  columns    jsonb,
  created_at timestamptz not null default now()
);
create index files_org_created on files (org_id, created_at desc, id desc);

-- line: where the row starts in the upload (1-based), for messages about it later.
create table file_rows (
  file_id text not null references files (id) on delete cascade,
  idx     integer not null,
  line    integer not null,
  data    jsonb not null,
  primary key (file_id, idx)
);

-- Batches: a flow or a completion operation over many items. The items are copied in at creation (the batch
-- owns them even when its file is deleted); the workflows carry only the batch id and index ranges.
create table batches (
  id              text primary key,
  org_id          text not null references organizations (id) on delete cascade,
  kind            text not null check (kind in ('flow', 'operation')),
  project_id      text,
  flow_id         text,
  flow_slug       text,
  release_id      text,
  version         text,
  flow_history_id text,
  -- the flow as resolved at creation: every item runs the same definition even if the draft changes meanwhile
  definition      jsonb,
  operation       text,
  options         jsonb,
  provider        text,
  model           text,
  file_id         text,
  total           integer not null,
  concurrency     integer not null,
  status          text not null,
  workflow_id     text not null unique,
  metadata        jsonb,
  error_message   text,
  created_at      timestamptz not null default now(),
  started_at      timestamptz,
  finished_at     timestamptz
);
create index batches_org_created on batches (org_id, created_at desc, id desc);

-- One row per item; pending until a chunk records it completed or failed (by (batch_id, idx), only while
-- pending, so a retried chunk never records an item twice), or cancelled when the batch is cancelled first.
create table batch_items (
  batch_id    text not null references batches (id) on delete cascade,
  idx         integer not null,
  input       jsonb not null,
  status      text not null default 'pending' check (status in ('pending', 'completed', 'failed', 'cancelled')),
  output      jsonb,
  error       text,
  message     text,
  run_id      text,
  prompt_tokens     bigint not null default 0,
  completion_tokens bigint not null default 0,
  cost_usd          numeric(18, 8) not null default 0,
  duration_ms       bigint,
  finished_at timestamptz,
  primary key (batch_id, idx)
);
create index batch_items_finished on batch_items (batch_id, finished_at) where status <> 'pending';
