-- Agents deleted through the agents API keep their flow row (what the agent was, its releases, its stats) marked
-- deleted; their slug also gets a flow_tombstones row so every agent route answers 410 for it. A new flow may take
-- the slug again, so slugs are unique among live flows only.
alter table flows add column deleted_at timestamptz;
alter table flows drop constraint flows_org_id_slug_key;
create unique index flows_org_slug_live on flows (org_id, slug) where deleted_at is null;
