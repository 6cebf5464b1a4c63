#!/bin/sh
# The part of the official postgres image's entrypoint that deploy/docker-compose.yml relies on:
# on first start, a cluster owned by POSTGRES_USER with POSTGRES_PASSWORD, the database POSTGRES_DB,
# password (SCRAM) sign-in from the network; then the server runs as the postgres user.
set -eu
mkdir -p "$PGDATA" /run/postgresql
chown postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
    user=${POSTGRES_USER:-postgres}
    db=${POSTGRES_DB:-$user}
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    chown postgres "$pwfile"
    as_postgres initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
    echo "listen_addresses = '*'" >>"$PGDATA/postgresql.conf"
    if [ "$db" != postgres ]; then
        # On a socket of its own, so the health check (pg_isready) does not see this passing server.
        socket=$(mktemp -d)
        chown postgres "$socket"
        as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -c unix_socket_directories=$socket" start
        as_postgres psql -v ON_ERROR_STOP=1 -h "$socket" --username="$user" --dbname=postgres \
            -c "CREATE DATABASE \"$db\""
        as_postgres pg_ctl -D "$PGDATA" -m fast -w stop
        rm -rf "$socket"
    fi
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"
