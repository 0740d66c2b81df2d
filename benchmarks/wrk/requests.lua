-- Drives wrk from a file of requests made by benchmarks/load.py.
--
-- BENCH_REQUESTS names the file: one request a line, "METHOD<TAB>PATH<TAB>TOKEN<TAB>BODY"
-- (TOKEN and BODY may be empty; BODY is JSON).
-- BENCH_MODE is "random" (each request picks a line at random: random ids) or "walk" (thread
-- k of n takes lines k, k+n, k+2n, ... once each, in order: a move of state never repeats).
-- At the end one line "BENCH_RESULT {json}" carries the figures load.py reads.

local mode = os.getenv("BENCH_MODE") or "random"
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("index", counter)

end

local function split(line)
   local fields = {}
   for field in (line .. "\t"):gmatch("([^\t]*)\t") do
      table.insert(fields, field)
   end
   return fields
end

local function build(fields)
   local headers = {}
   if fields[3] ~= "" then
      headers["Authorization"] = "Bearer " .. fields[3]
   end
   local body = nil
   if fields[4] and fields[4] ~= "" then
      body = fields[4]
      headers["Content-Type"] = "application/json"
   end
   return wrk.format(fields[1], fields[2], headers, body)
end

function init(args)
   local lines = {}
   for line in io.lines(os.getenv("BENCH_REQUESTS")) do
      if line ~= "" then
         table.insert(lines, line)
      end
   end
   requests, position = {}, 0
   local first, step = 1, 1
   if mode == "walk" then
      first, step = index, tonumber(os.getenv("BENCH_THREADS") or "1")
   end
   for i = first, #lines, step do
      table.insert(requests, build(split(lines[i])))
   end
   math.randomseed(os.time() + index * 7919)
end

function request()
   if mode == "walk" then
      position = position % #requests + 1
      return requests[position]
   end
   return requests[math.random(#requests)]
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, '
         .. '"p99_us": %d, "max_us": %d, "connect": %d, "read": %d, "write": %d, '
         .. '"status": %d, "timeout": %d}\n',
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
