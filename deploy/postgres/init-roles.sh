#!/bin/sh
# First start of the production PostgreSQL (docker-entrypoint-initdb.d): Jiebang's two roles
# (libs/db/src/roles.ts). jiebang_owner owns the database and runs the migrations (the migrate
# service); jiebang_app is what the API and the worker connect as: it reads and writes the
# application's tables but may only INSERT and SELECT the audit (grants applied by every
# migration run). POSTGRES_USER stays the cluster's administrator (Temporal's schemas, backups).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_pw="$JIEBANG_DB_OWNER_PASSWORD" -v app_pw="$JIEBANG_DB_APP_PASSWORD" <<'SQL'
create role jiebang_owner with login nosuperuser nocreatedb nocreaterole noinherit password :'owner_pw';
create role jiebang_app with login nosuperuser nocreatedb nocreaterole noinherit password :'app_pw';
alter database jiebang owner to jiebang_owner;
alter schema public owner to jiebang_owner;
revoke create on schema public from public;
SQL
