-- Conversations are sessions: a run started with 001's flow_session_id = <id> continues conversation <id> of its
-- org (created by the first such run, or by POST /api/v1/conversations). Ids are the client's session ids, so
-- they are unique per org, not globally.
create table conversations (
  org_id      text not null references organizations (id) on delete cascade,
  id          text not null,
  title       text,
  flow_slug   text,                         -- the agent or flow the conversation talks to, if any
  metadata    jsonb not null default '{}',
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (org_id, id)
);
create index conversations_org_created on conversations (org_id, created_at desc, id desc);

-- Flat chat messages, in seq order. A run's turn is two rows (user, assistant) keyed by run and role, so a
-- retried outcome write adds nothing.
create table conversation_messages (
  id              text primary key,
  org_id          text not null,
  conversation_id text not null,
  seq             bigint generated always as identity,
  role            text not null,             -- user | assistant | system
  content         text not null,
  run_id          text,
  metadata        jsonb,
  created_at      timestamptz not null default now(),
  foreign key (org_id, conversation_id) references conversations (org_id, id) on delete cascade,
  unique (run_id, role)
);
create index conversation_messages_conv on conversation_messages (org_id, conversation_id, seq);
create index conversation_messages_fts on conversation_messages using gin (to_tsvector('simple', content));

-- Points in a conversation's life: compaction (data.summary, data.up_to_seq: messages at or before it are
-- summarised), title changes.
create table conversation_markers (
  id              text primary key,
  org_id          text not null,
  conversation_id text not null,
  kind            text not null,             -- compaction | title_changed
  data            jsonb not null default '{}',
  created_at      timestamptz not null default now(),
  foreign key (org_id, conversation_id) references conversations (org_id, id) on delete cascade
);
create index conversation_markers_conv on conversation_markers (org_id, conversation_id, created_at);

-- Named memory blocks of an org (e.g. "persona", "user_profile"), updated by compare-and-set on version.
create table memory_blocks (
  org_id      text not null references organizations (id) on delete cascade,
  type        text not null,
  value       text not null,
  version     integer not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (org_id, type)
);
