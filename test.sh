#!/usr/bin/env bash
# Runs every test suite of Lucairn on a fresh clone: formatting, lints, the Rust
# workspace (unit, integration and doc tests; benchmarks compiled and run once).
# Installs what it needs and is missing.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }

# A throwaway PostgreSQL server for the gateway's store tests: Debian's `postgresql`
# (installed when missing), one cluster in a temporary directory, listening only on a
# Unix socket there, without fsync (its data is thrown away); stopped on exit.
PG_DIR=""
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
start_postgres() {
  if [ -z "$(pg_bin)" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "PostgreSQL is missing: apt-get install postgresql (as root), then run again" >&2
      exit 1
    fi
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
  fi
  local bin
  bin="$(pg_bin)"
  PG_DIR="$(mktemp -d /tmp/lucairn-pg.XXXXXX)"
  trap stop_postgres EXIT
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PG_DIR"; fi
  as_pg "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-sync >"$PG_DIR/initdb.log"
  as_pg "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -s start -o \
    "-c listen_addresses='' -c unix_socket_directories=$PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  # The socket directory as the URL's host, percent-encoded.
  export LUCAIRN_TEST_DATABASE_URL="postgresql://postgres@${PG_DIR//\//%2F}/postgres"
}
stop_postgres() {
  if [ -n "$PG_DIR" ] && [ -d "$PG_DIR/data" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -w -s -m immediate stop || true
  fi
  if [ -n "$PG_DIR" ]; then rm -rf "$PG_DIR"; fi
  PG_DIR=""
}

step "toolchain components"
for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
done

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --workspace -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test --workspace"
cargo test --workspace --all-targets
cargo test --workspace --doc

step "the gateway suite again, on PostgreSQL (two gateway processes on one database included)"
# Only the gateway_* modules touch the store; the suite runs with every gateway and
# `lucairn keys` on PostgreSQL, each test on a database of its own.
start_postgres
cargo test -p lucairn-gateway --test tests gateway_
stop_postgres
unset LUCAIRN_TEST_DATABASE_URL

step "fuzz targets: regression inputs, then 20 s each from the seed corpora"
./fuzz/run.sh 20

step "C library install and the Go package"
./ffi/test.sh

step "the gateway with the official openai Python and npm clients, and curl"
./gateway/tests/clients/run.sh

step "Python package: pip install ./python, pytest, typing and stub checks"
./python/test.sh

echo
echo "all test suites passed"
