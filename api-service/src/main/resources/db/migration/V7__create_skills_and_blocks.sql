-- Skills: named playbooks an agent's system prompt takes in; files are support documents kept with the skill.
create table skills (
  org_id      text not null references organizations (id) on delete cascade,
  name        text not null,
  description text,
  body        text not null,
  files       jsonb not null default '{}'::jsonb,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  primary key (org_id, name)
);

-- Prompt blocks: static text (body, with {{variables}}) or dynamic (source, rendered by the BuildContext activity).
create table prompt_blocks (
  org_id       text not null references organizations (id) on delete cascade,
  name         text not null,
  description  text,
  type         text not null check (type in ('static', 'dynamic')),
  body         text,
  source       jsonb,
  ttl_seconds  integer not null default 300,
  render_count bigint not null default 0,
  created_at   timestamptz not null default now(),
  updated_at   timestamptz not null default now(),
  primary key (org_id, name)
);

-- The last rendering of a dynamic block, served until it expires or is invalidated.
create table prompt_block_cache (
  org_id      text not null,
  name        text not null,
  content     text not null,
  rendered_at timestamptz not null default now(),
  expires_at  timestamptz not null,
  primary key (org_id, name),
  foreign key (org_id, name) references prompt_blocks (org_id, name) on delete cascade
);
