#!/usr/bin/env bash
# Ingress benchmark: orgradar (release build, SQLite, worker running) against a
# minimal Probot 14 app on the same machine in the same run, both driven by
# wrk posting a real signed issues.opened payload with a fresh delivery id on
# every request. Prints deliveries/s, p50/p99 latency, peak RSS, and checks
# that every delivery orgradar acknowledged is in its database.
#
# usage: scripts/bench-ingress.sh                 (DURATION=10s CONNECTIONS=16 by default)
#        NO_PEER=1 scripts/bench-ingress.sh       (orgradar only)
#        SERVE_ARGS=--no-worker NO_PEER=1 scripts/bench-ingress.sh
#            (the ingress alone: no worker takes the stored deliveries)
#        ORGRADAR_BIN=/path/to/orgradar scripts/bench-ingress.sh
#            (that binary instead of this tree's release build: A/B runs of two builds)
#        MODE=postgres scripts/bench-ingress.sh   (two instances on one port sharing a
#            PostgreSQL database, BENCH_DATABASE_URL, default the machine's `test`
#            database's server) at 16 and 128 connections; then the queue lag at a
#            steady ~1,000 deliveries/s, and a peer: PostgreSQL alone storing the
#            same rows with pgbench, as the ceiling of this machine)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
secret=bench-secret
work=$root/target/bench
mkdir -p "$work"

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)..." >&2
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
fi
if [ -n "${ORGRADAR_BIN:-}" ]; then bin=$ORGRADAR_BIN; else cargo build --release --quiet; bin=$root/target/release/orgradar; fi

# The payload: a real issues.opened delivery GitHub sent, and its signature.
python3 - "$root/tests/fixtures/issues.opened.json" "$secret" "$work" <<'PY'
import hashlib, hmac, sys
body = open(sys.argv[1], "rb").read()
open(sys.argv[3] + "/body.json", "wb").write(body)
sig = "sha256=" + hmac.new(sys.argv[2].encode(), body, hashlib.sha256).hexdigest()
open(sys.argv[3] + "/signature", "w").write(sig + "\n")
PY

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1$2" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server on port $1 did not start" >&2; return 1; }

# run_wrk NAME PORT PID [PROCESSES]: drives the server, prints one result line,
# leaves wrk's output in $work/NAME.wrk. The CPU columns are the CPU time the
# server (the first of PROCESSES, comma-separated names, default orgradar),
# PostgreSQL's backends (when listed) and wrk itself used per delivery.
run_wrk() {
  local name=$1 port=$2 pid=$3 procs=${4:-orgradar}
  python3 "$root/scripts/bench/cpu.py" "$work/$name.cpu" "$procs" -- \
    env BENCH_DIR="$work" wrk -t1 -c"$connections" -d"$duration" --latency -s "$root/scripts/bench/webhook.lua" \
    "http://127.0.0.1:$port/api/github/webhooks" > "$work/$name.wrk"
  local rss_kb; rss_kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  python3 - "$work/$name.wrk" "$name" "$rss_kb" "$work/$name.cpu" "${procs%%,*}" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
def latency(p):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)" % p, text, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
total = int(re.search(r"(\d+) requests in", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
non2xx = int(non2xx.group(1)) if non2xx else 0
cpu = dict(kv.split("=") for kv in open(sys.argv[4]).read().split())
per = lambda k: float(cpu.get(k, 0)) * 1e6 / max(total, 1)
print(f"{sys.argv[2]:<10} {rps:>12.0f} {latency(50):>9.2f} {latency(99):>9.2f} {int(sys.argv[3])/1024:>11.1f} {total:>10} {non2xx:>8}"
      f" {per(sys.argv[5]):>9.0f} {per('postgres'):>8.0f} {per('load'):>6.0f}")
open(sys.argv[1] + ".total", "w").write(f"{total} {non2xx} {rps}\n")
PY
}

printf '%-10s %12s %9s %9s %11s %10s %8s %9s %8s %6s\n' server deliveries/s p50_ms p99_ms peak_RSS_MiB requests non_2xx \
  cpu_us/d pg_us/d wrk_us/d

if [ "${MODE:-sqlite}" = postgres ]; then
  admin=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}
  url=${admin%/*}/orgradar_bench
  psql "$admin" -qc "DROP DATABASE IF EXISTS orgradar_bench WITH (FORCE)" -c "CREATE DATABASE orgradar_bench" >/dev/null
  DATABASE_URL=$url ORGRADAR_CONFIG=$root/app.yml "$bin" migrate >/dev/null
  port=$(free_port)
  pids=()
  acked_before=0
  for i in 1 2; do
    WEBHOOK_SECRET=$secret PORT=$port HOST=127.0.0.1 REUSE_PORT=1 LOG_LEVEL=warn DATABASE_URL=$url \
      RECOVERY_INTERVAL=off ORGRADAR_CONFIG=$root/app.yml "$bin" serve > "$work/orgradar-pg-$i.log" 2>&1 &
    pids+=($!)
  done
  trap 'kill ${pids[*]} 2>/dev/null || true' EXIT
  wait_up "$port" /healthz; sleep 0.5
  # Throughput at 16 connections (small batches: each statement's overhead
  # counts) and at 128 (larger batches).
  for c in 16 128; do
    connections=$c run_wrk "pg-x2-c$c" "$port" "${pids[0]}" orgradar,postgres
    read -r total non2xx _ < "$work/pg-x2-c$c.wrk.total"
    acked=$((acked_before + total - non2xx))
    stored=$(psql "$url" -tAc "select count(*) from deliveries")
    [ "$stored" -ge "$acked" ] || { echo "LOST DELIVERIES: $acked acknowledged, $stored stored" >&2; exit 1; }
    acked_before=$acked
  done
  echo "postgres, 2 instances: $acked acknowledged in all, $stored in the database (RSS is the first instance's)"
  # Let the workers finish the backlog of the throughput run first.
  for _ in $(seq 120); do
    [ "$(psql "$url" -tAc "select count(*) from deliveries where status <> 'done'")" = 0 ] && break
    sleep 1
  done
  # Queue lag at a steady rate: 16 connections, each pausing 10 ms between requests.
  BENCH_DIR=$work BENCH_PREFIX=lag BENCH_DELAY_MS=10 wrk -t1 -c16 -d10s -s "$root/scripts/bench/webhook.lua" \
    "http://127.0.0.1:$port/api/github/webhooks" > "$work/lag.wrk"
  sleep 2
  rate=$(awk '/Requests\/sec/ {printf "%d", $2}' "$work/lag.wrk")
  psql "$url" -tAc "select 'lag at ' || $rate || ' deliveries/s: p50 ' || round(percentile_cont(0.5) within group (order by updated_at - received_at))::text || ' ms, p99 ' || round(percentile_cont(0.99) within group (order by updated_at - received_at))::text || ' ms, ' || count(*) || ' done, ' || (select count(*) from deliveries where id like 'lag-%' and status <> 'done') || ' not done' from deliveries where id like 'lag-%' and status = 'done'"
  # The peer: PostgreSQL alone, storing the same rows (the slim payload orgradar
  # stored, in a table with the same indexes) in durable batches of 64 from 16
  # pgbench clients, with nothing else running: what this machine's PostgreSQL
  # can store at most, before any HTTP, verification, parsing or worker.
  kill "${pids[@]}" 2>/dev/null || true; wait "${pids[@]}" 2>/dev/null || true
  command -v pgbench >/dev/null || { echo "pgbench not found; PostgreSQL-alone peer skipped" >&2; exit 0; }
  floor=${admin%/*}/orgradar_floor
  psql "$admin" -qc "DROP DATABASE IF EXISTS orgradar_floor WITH (FORCE)" -c "CREATE DATABASE orgradar_floor" >/dev/null 2>&1
  DATABASE_URL=$floor ORGRADAR_CONFIG=$root/app.yml "$bin" migrate >/dev/null 2>&1
  payload=$(psql "$url" -tAc "select encode(convert_to(payload, 'UTF8'), 'base64') from deliveries where id like 'bench-%' limit 1" | tr -d '\n')
  cat > "$work/floor.sql" <<SQL
INSERT INTO deliveries (id, event, action, installation_id, repository, received_at, payload,
  status, next_attempt_at, updated_at)
SELECT 'floor-' || md5(random()::text || g::text), 'issues', 'opened', 1, 'octo/repo', 1,
  p.payload, 'queued', 1, 1
FROM (SELECT convert_from(decode('$payload', 'base64'), 'UTF8') AS payload) p, generate_series(1, 64) g
ON CONFLICT (id) DO NOTHING;
SQL
  tps=$(python3 "$root/scripts/bench/cpu.py" "$work/floor.cpu" postgres -- \
    pgbench -n -c 16 -j 2 -T "${duration%s}" -f "$work/floor.sql" "$floor" 2>/dev/null | awk '/^tps/ {print $3}')
  psql "$admin" -qc "DROP DATABASE IF EXISTS orgradar_floor WITH (FORCE)" >/dev/null
  python3 - "$tps" "${duration%s}" "$work/pg-x2-c128.wrk.total" "$work/pg-x2-c128.cpu" "$work/floor.cpu" "$(nproc)" <<'PY'
import sys
tps, seconds, total_file, run_file, floor_file, cores = sys.argv[1:]
rows_per_s = float(tps) * 64
cpu = lambda path: {k: float(v) for k, v in (kv.split("=") for kv in open(path).read().split())}
run, floor = cpu(run_file), cpu(floor_file)
total, _, rps = open(total_file).read().split()
us = lambda s, n: s * 1e6 / n
pg_row = us(floor["postgres"], rows_per_s * float(seconds))
ours, pg, load = (us(run[k], int(total)) for k in ("orgradar", "postgres", "load"))
print(f"postgres alone (pgbench, durable batches of 64): {rows_per_s:.0f} rows/s, {pg_row:.0f} us of PostgreSQL CPU a row")
print(f"orgradar at 128 connections: {float(rps):.0f}/s, {float(rps) / rows_per_s:.0%} of that; CPU a delivery: "
      f"orgradar {ours:.0f} us, PostgreSQL {pg:.0f} us (store, claim, outcome), wrk {load:.0f} us")
print(f"the most {cores} cores allow if PostgreSQL only stored each delivery: "
      f"{int(cores) * 1e6 / (ours + pg_row + load):.0f}/s")
PY
  exit 0
fi

# orgradar
port=$(free_port); db=$work/orgradar-bench.db
rm -f "$db" "$db-wal" "$db-shm"
WEBHOOK_SECRET=$secret PORT=$port HOST=127.0.0.1 LOG_LEVEL=warn DATABASE_URL="sqlite://$db" \
  ORGRADAR_CONFIG=$root/app.yml "$bin" serve ${SERVE_ARGS:-} > "$work/orgradar.log" 2>&1 &
opid=$!
trap 'kill $opid 2>/dev/null || true' EXIT
wait_up "$port" /healthz
run_wrk orgradar "$port" "$opid"
# With the worker running, the load may end with a backlog: wait until the
# worker has taken every delivery (at most 60 s), and count the CPU it spent
# meanwhile, so the figure is what each delivery cost once processed.
if [[ "${SERVE_ARGS:-}" != *--no-worker* ]]; then
  python3 "$root/scripts/bench/cpu.py" "$work/drain.cpu" orgradar -- python3 - "$db" "$work/drain" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], timeout=10)
left = lambda: db.execute("select count(*) from deliveries where status in ('queued', 'processing')").fetchone()[0]
start, backlog = time.monotonic(), left()
while left() and time.monotonic() - start < 60:
    time.sleep(0.05)
open(sys.argv[2], "w").write(f"{backlog} {time.monotonic() - start:.2f} {left()}\n")
PY
  python3 - "$work/orgradar.wrk.total" "$work/orgradar.cpu" "$work/drain.cpu" "$work/drain" "${duration%s}" <<'PY'
import sys
total, _, rps = open(sys.argv[1]).read().split()
cpu = lambda path: float(dict(kv.split("=") for kv in open(path).read().split())["orgradar"])
backlog, seconds, left = open(sys.argv[4]).read().split()
total, seconds = int(total), float(seconds)
print(f"worker: {backlog} not yet taken when the load ended, taken {seconds:.2f} s later ({left} left); "
      f"CPU a delivery including that: {(cpu(sys.argv[2]) + cpu(sys.argv[3])) * 1e6 / total:.0f} us; "
      f"processed {total / (float(sys.argv[5]) + seconds):.0f}/s")
PY
fi
kill -TERM "$opid"; wait "$opid" || true
read -r total non2xx orps < "$work/orgradar.wrk.total"
stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from deliveries').fetchone()[0])" "$db")
acked=$((total - non2xx))
if [ "$stored" -lt "$acked" ]; then
  echo "LOST DELIVERIES: $acked acknowledged, $stored stored" >&2; exit 1
fi
echo "orgradar: $acked deliveries acknowledged, $stored in the database (every acknowledged one stored)"

# Probot 14 peer
if [ -n "${NO_PEER:-}" ]; then exit 0; fi
peer=$work/probot-peer
mkdir -p "$peer"
if [ ! -x "$peer/node_modules/.bin/probot" ]; then
  echo "installing probot@14 from npm for the peer..." >&2
  (cd "$peer" && { [ -f package.json ] || echo '{"name":"probot-peer","private":true}' > package.json; } \
    && npm install --no-audit --no-fund --silent probot@14 >/dev/null 2>&1) || { echo "could not install probot; peer skipped" >&2; exit 0; }
fi
[ -f "$peer/key.pem" ] || openssl genrsa -out "$peer/key.pem" 2048 2>/dev/null
cat > "$peer/app.cjs" <<'JS'
module.exports = (app) => {
  app.on("issues.opened", async (context) => { void context.payload.issue.user.login; });
};
JS
pport=$(free_port)
(cd "$peer" && APP_ID=1 PRIVATE_KEY_PATH=key.pem WEBHOOK_SECRET=$secret PORT=$pport LOG_LEVEL=warn NODE_ENV=production \
  exec node_modules/.bin/probot run ./app.cjs > probot.log 2>&1) &
ppid=$!
trap 'kill $ppid 2>/dev/null || true' EXIT
wait_up "$pport" /ping
run_wrk probot14 "$pport" "$ppid" node
kill "$ppid" 2>/dev/null || true
read -r _ _ prps < "$work/probot14.wrk.total"
python3 -c "import sys; print(f'orgradar / probot 14 throughput: {float(sys.argv[1])/float(sys.argv[2]):.1f}x')" "$orps" "$prps"
