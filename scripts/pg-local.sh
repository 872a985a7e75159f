#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for tests and the local cluster: Debian's package (installed if missing), a new
# cluster in a temporary directory, owned by the postgres user (initdb refuses root), on a port of its own.
# Prints the cluster's directory, then the connection URL, on the last two lines of its output.
# `scripts/pg-local.sh stop DIR` stops one it started and removes its directory.
#   usage: scripts/pg-local.sh [PORT]      (default 55432)
# PG_FSYNC=off (tests) starts it without fsync; the benches and the local cluster keep the default, on.
set -euo pipefail
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ "${1:-}" = stop ]; then
  B=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  as_pg "$B/pg_ctl" -D "$2/d" -m immediate -w stop >/dev/null
  rm -rf "$2"
  exit 0
fi
port=${1:-55432}
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
B=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
R=$(mktemp -d /tmp/onescreen-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then chown postgres "$R"; fi
nosync=; if [ "${PG_FSYNC:-on}" = off ]; then nosync=--no-sync; fi
as_pg "$B/initdb" -D "$R/d" -A trust -U postgres -E UTF8 --locale=C.UTF-8 $nosync >/dev/null
as_pg "$B/pg_ctl" -D "$R/d" -w -l "$R/log" -o "-c listen_addresses=127.0.0.1 -p $port -k $R -c max_connections=300 -c fsync=${PG_FSYNC:-on} -c shared_buffers=128MB" start >/dev/null
echo "PostgreSQL $("$B/postgres" --version | awk '{print $3}') in $R on port $port" >&2
echo "$R"
echo "postgres://postgres@127.0.0.1:$port/postgres"
