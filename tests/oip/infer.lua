-- wrk: POST one v2 inference request for the housing features and count, per thread, the
-- answers by model_version and by status; done() prints the totals the oip stage reads.
--   KEY=... wrk -s tests/oip/infer.lua http://HOST:PORT/v2/models/hot/infer
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["x-api-key"] = os.getenv("KEY")
wrk.body = '{"inputs":[{"name":"X","shape":[1,6],"datatype":"FP64","data":[0,6.575,296,15.3,396.9,4.98]}]}'

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  versions = {}
  failures = 0
end

function response(status, headers, body)
  if status ~= 200 then
    failures = failures + 1
    return
  end
  local version = body:match('"model_version":"(%d+)"')
  versions[version] = (versions[version] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    for version, count in pairs(thread:get("versions")) do
      totals[version] = (totals[version] or 0) + count
    end
  end
  for version, count in pairs(totals) do
    io.write(string.format("answered-by-version %s %d\n", version, count))
  end
  io.write(string.format("failed-responses %d\n", failed))
  local errors = summary.errors
  io.write(string.format("socket-errors %d\n", errors.connect + errors.read + errors.write + errors.timeout))
end
