-- Child runs (subflow and map nodes, sub-agents): the run that started them and the node that did.
alter table runs add column parent_run_id text;
alter table runs add column parent_node_id text;
create index runs_parent on runs (parent_run_id) where parent_run_id is not null;
