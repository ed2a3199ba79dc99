-- wrk script of `make bench` (loadtest/bench.py).
--
--   wrk ... -s loadtest/bench.lua <url> -- get <paths file>
--       GET each path of the file in turn (one a line).
--   wrk ... -s loadtest/bench.lua <url> -- finder <searches file>
--       POST the finder's search (/zoek-je-groep/), one form body a line
--       (straat=…&nummer=…): as the finder's form, no address in the URL.
--   wrk ... -s loadtest/bench.lua <url> -- signup <forms file> <run id> <phase>
--       POST the e-loket form (/aanmelden/), one new resident each time: each
--       line of the file is a group and an address in its region
--       (group, municipality, house rules, postcode, street, number; tabs).
--
-- Every request says it came through the load balancer over HTTPS, as in
-- production. At the end it prints one line of JSON: requests, answers by
-- status, socket errors and latency percentiles in microseconds.

local threads = {}

function setup(thread)
   thread:set("number", #threads + 1)
   table.insert(threads, thread)
end

local function read_lines(path)
   local lines = {}
   for line in io.lines(path) do
      if line ~= "" then
         table.insert(lines, line)
      end
   end
   return lines
end

local function split(line)
   local fields = {}
   for field in string.gmatch(line, "[^\t]+") do
      table.insert(fields, field)
   end
   return fields
end

local function urlencode(text)
   return (string.gsub(text, "[^%w%-%._~]", function(character)
      return string.format("%%%02X", string.byte(character))
   end))
end

-- A CSRF secret of Django's length (32 letters): the cookie and the form's
-- token carry the same one, as a browser that loaded the form would.
local CSRF = "benchmarkbenchmarkbenchmarkbench"

function init(args)
   mode = args[1]
   lines = read_lines(args[2])
   run_id = args[3] or "run"
   -- 0 for the warm-up, 1 for the measured run: new residents in each.
   phase = tonumber(args[4] or "0")
   sent = 0
   statuses = {}
   local host = wrk.host .. ":" .. wrk.port
   wrk.headers["X-Forwarded-Proto"] = "https"
   wrk.headers["Host"] = host
   if mode == "signup" then
      wrk.method = "POST"
      wrk.path = "/aanmelden/"
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
      wrk.headers["Cookie"] = "csrftoken=" .. CSRF
      wrk.headers["Origin"] = "https://" .. host
      wrk.headers["Referer"] = "https://" .. host .. "/aanmelden/"
   elseif mode == "finder" then
      -- No CSRF token: the finder's search is exempt (groups.views.FinderView).
      wrk.method = "POST"
      wrk.path = "/zoek-je-groep/"
      wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   end
end

local function signup_body(line)
   local f = split(line)
   -- A new resident each time: phase, thread and counter make the e-mail
   -- address and the mobile number (0468 D NN NNN) unique within the run.
   local n = sent
   local email = string.format(
      "bench-%s-%d-%d-%d@example.org", run_id, phase, number, n)
   local phone = string.format(
      "0468%d%05d", (phase * 5 + number) % 10, n % 100000)
   local fields = {
      "csrfmiddlewaretoken=" .. CSRF,
      "role=participant",
      "group=" .. f[1],
      "municipality=" .. f[2],
      "house_rules=" .. f[3],
      "postcode=" .. f[4],
      "street_name=" .. urlencode(f[5]),
      "house_number=" .. f[6],
      "box=",
      "first_name=Bench",
      "last_name=Resident",
      "phone=" .. phone,
      "email=" .. urlencode(email),
      "accept_house_rules=on",
      "accept_privacy=on",
      "proposed_group_name=",
      "proposed_area=",
      "website=",
   }
   return table.concat(fields, "&")
end

function request()
   sent = sent + 1
   local line = lines[(sent + number * 7919) % #lines + 1]
   if mode == "signup" then
      return wrk.format(nil, nil, nil, signup_body(line))
   elseif mode == "finder" then
      return wrk.format(nil, nil, nil, line)
   end
   return wrk.format("GET", line)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local totals = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses")
      for status, count in pairs(counts) do
         totals[status] = (totals[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(totals) do
      table.insert(parts, string.format('"%d": %d', status, count))
   end
   local errors = summary.errors
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "statuses": {%s}, '
         .. '"socket_errors": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
         .. '"max_us": %d}\n',
      summary.requests, summary.duration, table.concat(parts, ", "),
      errors.connect + errors.read + errors.write + errors.timeout,
      latency:percentile(50), latency:percentile(95), latency:percentile(99),
      latency.max
   ))
end
