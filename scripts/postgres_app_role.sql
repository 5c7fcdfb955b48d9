-- Privileges of the application's PostgreSQL role (docs/operations.md, section 3 bis).
--
-- The application connects as a role that owns nothing: it reads and writes the
-- application tables, may only read and append to audit_log, and cannot drop or
-- disable the append-only triggers of migration 0006 (only the owner of a table
-- can). Run by the OWNER of the tables (the role that runs `pilotage init-db`),
-- after every `pilotage init-db`:
--
--   psql "postgresql://OWNER@127.0.0.1/pilotage" -v app_role=pilotage_app \
--        -f scripts/postgres_app_role.sql
--
-- tests/test_app_role.py runs this very file.
\set ON_ERROR_STOP on

BEGIN;
GRANT CONNECT ON DATABASE :"DBNAME" TO :"app_role";
GRANT USAGE ON SCHEMA public TO :"app_role";
-- Already so on a PostgreSQL >= 15 database, not on one upgraded from an older version.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- Every table: read and write (the tables created by later migrations too).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO :"app_role";
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO :"app_role";
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO :"app_role";

-- The audit trail: read and append, nothing else.
REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM :"app_role";
-- The schema version is the migrations' business.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON alembic_version
    FROM :"app_role";
COMMIT;
