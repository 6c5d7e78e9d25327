-- wrk script: walk a list of request paths (one per line) so each request can differ.
-- Usage: wrk -tN ... -s walk_paths.lua URL -- PATHS_FILE N
-- Thread k of n sends paths k, k+n, k+2n, ...; the list wraps only if it runs out, and
-- done() reports how many were sent so the harness can tell. It also counts responses
-- outside 2xx (wrk's own "errors.status" counts only >= 400) and prints one JSON line.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("thread_index", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  -- setup() runs just before each thread's init(), so the count comes as an argument.
  step = tonumber(args[2]) or 1
  position = thread_index
  sent = 0
  not_2xx = 0
end

function request()
  local path = paths[(position % #paths) + 1]
  position = position + step
  sent = sent + 1
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    not_2xx = not_2xx + 1
  end
end

function done(summary, latency, requests)
  local sent_total, not_2xx_total = 0, 0
  for _, thread in ipairs(threads) do
    sent_total = sent_total + thread:get("sent")
    not_2xx_total = not_2xx_total + thread:get("not_2xx")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "sent": %d, ' ..
    '"not_2xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
    '"status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, sent_total, not_2xx_total,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.mean, latency.max))
end
