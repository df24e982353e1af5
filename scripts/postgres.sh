#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback, for tests and for trying a local cluster.
#
#   scripts/postgres.sh start DIR [PORT]   create (initdb) if new, start; print the export lines
#   scripts/postgres.sh stop DIR           stop (fast shutdown)
#
# As root it runs the server as the 'postgres' user (initdb and pg_ctl refuse root) and installs
# PostgreSQL with apt-get when no server binaries are found. fsync stays on: tests measure the
# durability users get.
set -euo pipefail

command=${1:?usage: postgres.sh start|stop DIR [PORT]}
dir=${2:?usage: postgres.sh start|stop DIR [PORT]}
port=${3:-55432}

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin=$(find_bin)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL server binaries not found; install the 'postgresql' package." >&2
    exit 1
  fi
  echo "Installing PostgreSQL ..." >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(find_bin)
fi

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir" && chmod 700 "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_postgres "$bin/initdb" -D "$dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      : # already running
    else
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c synchronous_commit=on" \
      start >/dev/null
    fi
    echo "export PROGRESS_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres'"
    echo "export PROGRESS_TEST_POSTGRES_DATA='$dir'"
    echo "export PROGRESS_TEST_POSTGRES_PORT='$port'"
    ;;
  stop)
    as_postgres "$bin/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
    ;;
  *)
    echo "usage: postgres.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac
