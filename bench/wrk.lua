-- One wrk request shape from the environment, and a one-line JSON summary at the end
-- (wrk's own report has no 99.9th percentile).
--   WRK_METHOD (GET), WRK_BODY_FILE (none), WRK_API_KEY (none), WRK_CONTENT_TYPE
--   (application/json), WRK_HEADER_LENGTH (none: the binary tensor data extension's
--   Inference-Header-Content-Length)
wrk.method = os.getenv("WRK_METHOD") or "GET"
local body_file = os.getenv("WRK_BODY_FILE")
if body_file and body_file ~= "" then
  local file = assert(io.open(body_file, "rb"))
  wrk.body = file:read("*a")
  file:close()
  local content_type = os.getenv("WRK_CONTENT_TYPE")
  wrk.headers["Content-Type"] = (content_type and content_type ~= "") and content_type or "application/json"
  local header_length = os.getenv("WRK_HEADER_LENGTH")
  if header_length and header_length ~= "" then
    wrk.headers["Inference-Header-Content-Length"] = header_length
  end
end
local key = os.getenv("WRK_API_KEY")
if key and key ~= "" then
  wrk.headers["X-Api-Key"] = key
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f,"errors":%d,"non2xx":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
