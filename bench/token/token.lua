-- wrk script: POST client_credentials requests, each with the next client's Basic credentials.
-- BENCH_AUTH_FILE: one "Basic ..." header value per line.  BENCH_DELAY_MS: pause before each
-- request on a connection (0 = as fast as possible); with C connections the offered rate is
-- about C * 1000 / BENCH_DELAY_MS requests per second.
-- BENCH_BODY_FILE (private_key_jwt): one form body per line, each sent once in order (a client assertion's jti
-- is single use), with no Authorization header; past the last line it starts over, and the replays are refused.
local auths = {}
local bodies = {}
local body_file = os.getenv("BENCH_BODY_FILE") or ""
if body_file ~= "" then
  for line in io.lines(body_file) do
    bodies[#bodies + 1] = line
  end
else
  for line in io.lines(os.getenv("BENCH_AUTH_FILE")) do
    auths[#auths + 1] = line
  end
end
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local body = os.getenv("BENCH_BODY") or "grant_type=client_credentials"
local i = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  if #auths > 0 then
    i = math.random(#auths)
  end
end

function request()
  if #bodies > 0 then
    i = i % #bodies + 1
    return wrk.format("POST", nil, { ["Content-Type"] = "application/x-www-form-urlencoded" }, bodies[i])
  end
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
  io.write(string.format("RESULT rate=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d pool=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, bad, #bodies))
end
