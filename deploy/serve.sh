#!/usr/bin/env bash
# `make serve`: the production profile on this machine, on loopback. PostgreSQL (a private cluster in var/postgres
# unless DATABASE_URL is set), migrations, static files, demo data, gunicorn with several workers and the background
# worker. Ctrl+C stops them all, the private cluster included.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
HOST=${HOST:-127.0.0.1:8000}
VAR=${TRYGG_VAR_DIR:-$ROOT/var}
mkdir -p "$VAR"

pids=()
cluster=""
stop() {
  trap - INT TERM EXIT
  set +e
  [ ${#pids[@]} -gt 0 ] && kill -TERM "${pids[@]}" 2>/dev/null && wait "${pids[@]}" 2>/dev/null
  [ -n "$cluster" ] && as_owner "$PG_BIN/pg_ctl" -D "$cluster" -m fast -w stop >/dev/null 2>&1
  echo "Trygg er stoppet / has stopped."
}
trap stop INT TERM EXIT

# initdb refuses root: as root the cluster belongs to Debian's postgres user.
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ -z "${DATABASE_URL:-}" ]; then
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  cluster=$VAR/postgres
  if [ ! -f "$cluster/PG_VERSION" ]; then
    mkdir -p "$cluster"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$cluster"
    as_owner "$PG_BIN/initdb" -D "$cluster" -U trygg --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Unix socket only, inside the cluster's own directory, reachable by its owner (and root) alone.
    printf "listen_addresses = ''\nunix_socket_directories = '%s'\nunix_socket_permissions = 0700\n" "$cluster" \
      | as_owner tee -a "$cluster/postgresql.conf" >/dev/null
  fi
  as_owner "$PG_BIN/pg_ctl" -D "$cluster" -l "$cluster/server.log" -w start >/dev/null
  as_owner "$PG_BIN/psql" -h "$cluster" -U trygg -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'trygg'" \
    | grep -q 1 || as_owner "$PG_BIN/createdb" -h "$cluster" -U trygg trygg
  DATABASE_URL="postgres://trygg@$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$cluster")/trygg"
fi

[ -f "$VAR/serve_secret_key" ] || (umask 077 && head -c 48 /dev/urandom | base64 | tr -d '\n' >"$VAR/serve_secret_key")
export DATABASE_URL TRYGG_VAR_DIR=$VAR TRYGG_PROFILE=production SECURE_SSL_REDIRECT=0
export DJANGO_SECRET_KEY=$(cat "$VAR/serve_secret_key") ALLOWED_HOSTS=${ALLOWED_HOSTS:-127.0.0.1,localhost}

"$BIN/python" manage.py migrate --no-input -v 0
"$BIN/python" manage.py collectstatic --no-input -v 0
"$BIN/python" manage.py load_demo

"$BIN/gunicorn" trygg.wsgi --bind "$HOST" --workers "${WEB_WORKERS:-3}" --graceful-timeout 10 --no-control-socket &
pids+=($!)
"$BIN/python" manage.py db_worker &
pids+=($!)

echo ""
echo "Trygg (produksjonsprofil / production profile) kjører på / is running at http://$HOST/  (Ctrl+C stopper / stops)"
wait -n "${pids[@]}"
