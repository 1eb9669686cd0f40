-- wrk script: POST a signed GitHub webhook with a fresh X-GitHub-Delivery on every request.
-- env: BENCH_DIR holds body.json and signature; BENCH_EVENT is the event (default issues);
-- BENCH_PREFIX starts the delivery ids; BENCH_DELAY_MS paces each connection (for a steady rate).
local dir = os.getenv("BENCH_DIR") or "."
local event = os.getenv("BENCH_EVENT") or "issues"
local prefix = os.getenv("BENCH_PREFIX") or "bench"
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "")
local f = io.open(dir .. "/body.json", "rb"); local body = f:read("*a"); f:close()
f = io.open(dir .. "/signature", "r"); local sig = f:read("*l"); f:close()
local counter = 0
local thread_id = 0
function setup(thread) thread_id = thread_id + 1; thread:set("tid", thread_id) end
function request()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["X-GitHub-Event"] = event,
    ["X-GitHub-Delivery"] = string.format("%s-%d-%d-%d", prefix, tid or 0, os.time(), counter),
    ["X-Hub-Signature-256"] = sig,
    ["User-Agent"] = "GitHub-Hookshot/bench",
  }
  return wrk.format("POST", nil, headers, body)
end

if pause then
  function delay() return pause end
end
