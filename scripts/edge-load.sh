#!/usr/bin/env bash
# The webhook endpoint under the two loads an attacker on the internet can
# cheaply make, with the default limits:
#   1. CLIENTS (500) clients upload 20 MiB bodies at once: half without a
#      signature, half with a well-formed signature that does not match.
#      Reports the answers, the server's peak memory (VmHWM) and whether
#      /healthz kept answering.
#   2. IDLE (2,000) connections opened and left silent. Reports whether
#      /healthz answers while they are open, how many the server has closed
#      once HTTP_HEADER_TIMEOUT (10 s) has passed, and the peak memory.
#
# usage: scripts/edge-load.sh                  (debug build)
#        PROFILE=release scripts/edge-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
profile=${PROFILE:-debug}
clients=${CLIENTS:-500}
idle=${IDLE:-2000}
if [ "$profile" = release ]; then cargo build --release --quiet; else cargo build --quiet; fi
bin=${CARGO_TARGET_DIR:-$root/target}/$profile/orgradar
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work" && env -i PATH="$PATH" HOST=127.0.0.1 PORT="$port" WEBHOOK_SECRET=load-secret \
  DATABASE_URL="sqlite://$work/orgradar.db" ORGRADAR_CONFIG="$root/app.yml" LOG_LEVEL=warn \
  RECOVERY_INTERVAL=off "$bin" serve >"$work/server.log" 2>&1) &
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
pid=$(pgrep -f "$bin serve" -n)
trap 'kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
echo "orgradar ($profile build) pid $pid on port $port"

python3 - "$port" "$pid" "$clients" "$idle" <<'PY'
import asyncio, sys, time, collections
port, pid, clients, idle = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
MIB = 1 << 20
SIZE = 20 * MIB
chunk = b" " * MIB

def vm(field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0

async def healthz():
    start = time.monotonic()
    try:
        r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 5)
        w.write(f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        await w.drain()
        answer = await asyncio.wait_for(r.read(), 5)
        w.close()
        return answer.startswith(b"HTTP/1.1 200"), time.monotonic() - start
    except Exception:
        return False, time.monotonic() - start

async def upload(i):
    sig = f"X-Hub-Signature-256: sha256={'0' * 64}\r\n" if i % 2 else ""
    try:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write((f"POST /api/github/webhooks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 f"X-GitHub-Event: issues\r\nX-GitHub-Delivery: load-{i}\r\n{sig}"
                 f"Content-Length: {SIZE}\r\nConnection: close\r\n\r\n").encode())
        sent = 0
        try:
            while sent < SIZE:
                w.write(chunk)
                await w.drain()
                sent += len(chunk)
        except Exception:
            pass
        try:
            answer = await asyncio.wait_for(r.read(), 60)
        except Exception:
            answer = b""
        w.close()
        status = answer[9:12].decode() if answer.startswith(b"HTTP/1.1 ") else "closed before an answer"
        return ("signed" if i % 2 else "unsigned"), status
    except Exception as e:
        return ("signed" if i % 2 else "unsigned"), type(e).__name__

async def sample(stop, peaks):
    while not stop.is_set():
        peaks.append(vm("VmRSS"))
        await asyncio.sleep(0.05)

async def phase1():
    stop, rss = asyncio.Event(), []
    sampler = asyncio.create_task(sample(stop, rss))
    start = time.monotonic()
    tasks = [asyncio.create_task(upload(i)) for i in range(clients)]
    await asyncio.sleep(0.5)
    health = await healthz()
    results = await asyncio.gather(*tasks)
    took = time.monotonic() - start
    stop.set(); await sampler
    counts = collections.Counter(results)
    print(f"\n1. {clients} clients uploading 20 MiB at once ({took:.1f} s):")
    for (kind, status), n in sorted(counts.items()):
        print(f"   {kind:8} -> {status}: {n}")
    print(f"   /healthz during the uploads: {'200' if health[0] else 'NO ANSWER'} in {health[1]*1000:.0f} ms")
    print(f"   server memory: peak RSS sampled {max(rss)/MIB:.1f} MiB, VmHWM {vm('VmHWM')/MIB:.1f} MiB")

async def phase2():
    conns = []
    for _ in range(idle):
        conns.append(await asyncio.open_connection("127.0.0.1", port))
    ok, took = await healthz()
    print(f"\n2. {idle} idle connections open:")
    print(f"   /healthz while they are open: {'200' if ok else 'NO ANSWER'} in {took*1000:.0f} ms")
    print(f"   server memory now: RSS {vm('VmRSS')/MIB:.1f} MiB, VmHWM {vm('VmHWM')/MIB:.1f} MiB")
    start = time.monotonic()
    async def closed(r):
        try:
            await asyncio.wait_for(r.read(1), 30)
            return True
        except Exception:
            return False
    results = await asyncio.gather(*(closed(r) for r, _ in conns))
    print(f"   closed by the server within {time.monotonic() - start:.1f} s: {sum(results)} of {idle}")
    for _, w in conns:
        w.close()
    ok, took = await healthz()
    print(f"   /healthz afterwards: {'200' if ok else 'NO ANSWER'} in {took*1000:.0f} ms")

asyncio.run(phase1())
asyncio.run(phase2())
PY
