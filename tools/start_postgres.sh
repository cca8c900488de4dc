#!/usr/bin/env bash
# Start a local PostgreSQL for the multi-desk tests and print its URL on stdout.
# Installs the server when missing; creates role/database `paddock` (password paddock).
set -euo pipefail
log() { echo "[postgres] $*" >&2; }
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  log "installing postgresql"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
fi
read -r ver name port status _ < <(pg_lsclusters --no-header | head -n1)
if [ -z "${ver:-}" ]; then
  log "creating a cluster"
  $SUDO pg_createcluster 15 main >&2
  read -r ver name port status _ < <(pg_lsclusters --no-header | head -n1)
fi
if [ "$status" != "online" ]; then
  log "starting cluster $ver/$name on port $port"
  $SUDO pg_ctlcluster "$ver" "$name" start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
as_pg "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='paddock'\"" | grep -q 1 \
  || as_pg "psql -p $port -qc \"CREATE ROLE paddock LOGIN SUPERUSER PASSWORD 'paddock'\"" >&2
as_pg "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='paddock_test'\"" | grep -q 1 \
  || as_pg "createdb -p $port -O paddock paddock_test" >&2
echo "postgresql+psycopg://paddock:paddock@127.0.0.1:${port}/paddock_test"
