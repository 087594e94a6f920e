-- Runs once, when the postgres container starts on an empty data volume
-- (mounted into /docker-entrypoint-initdb.d by docker-compose.yml), as POSTGRES_USER.
--
--   durableflows         the API and workers' database; the API owns its schema (Flyway)
--   temporal             Temporal's persistence store (schema set up by temporalio/auto-setup)
--   temporal_visibility  Temporal's SQL visibility store, which also holds the custom search attributes
--
-- Temporal's auto-setup runs with SKIP_DB_CREATE=true because the databases already exist here.
CREATE DATABASE durableflows;
CREATE DATABASE temporal;
CREATE DATABASE temporal_visibility;
