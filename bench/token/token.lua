-- wrk script: POST client_credentials requests, each with the next client's Basic credentials.
-- BENCH_AUTH_FILE: one "Basic ..." header value per line.  BENCH_DELAY_MS: pause before each
-- request on a connection (0 = as fast as possible); with C connections the offered rate is
-- about C * 1000 / BENCH_DELAY_MS requests per second.
local auths = {}
for line in io.lines(os.getenv("BENCH_AUTH_FILE")) do
  auths[#auths + 1] = line
end
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local body = os.getenv("BENCH_BODY") or "grant_type=client_credentials"
local i = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  i = math.random(#auths)
end

function request()
  i = i % #auths + 1
  return wrk.format("POST", nil, {
    ["Authorization"] = auths[i],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout
  io.write(string.format("RESULT rate=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, bad))
end
