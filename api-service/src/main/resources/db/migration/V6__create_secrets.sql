-- Tool secrets ({{secrets.NAME}} in HTTP tools): AES-256-GCM ciphertext only, bound to (org_id, name) as
-- associated data; the key is DF_SECRETS_KEY (or the local key file of the embedded default), never stored here.
create table secrets (
  org_id      text not null references organizations (id) on delete cascade,
  name        text not null,
  ciphertext  bytea not null,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  unique (org_id, name)
);
