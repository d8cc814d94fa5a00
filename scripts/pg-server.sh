#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for tests and benchmarks.
#   source scripts/pg-server.sh; pg_start [DIR] [PORT]   -> exports DATABASE_URL
#   pg_stop
# Installs PostgreSQL with apt where it is missing. As root, the server runs as the postgres user.

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "installing postgresql with apt" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || return 1
    dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$dir"
}

pg_free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

pg_start() {
  PG_BIN=$(pg_bin) || return 1
  PG_DIR=${1:-$(mktemp -d /tmp/mdm-pg.XXXXXX)}
  PG_PORT=${2:-$(pg_free_port)}
  mkdir -p "$PG_DIR"
  local as=()
  if [ "$(id -u)" = "0" ]; then
    chown postgres "$PG_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres --no-sync >/dev/null || return 1
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-h 127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
  export PG_DIR PG_PORT PG_BIN
  export DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "postgresql $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT" >&2
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  local as=()
  [ "$(id -u)" = "0" ] && as=(runuser -u postgres --)
  "${as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  unset PG_DIR
}
