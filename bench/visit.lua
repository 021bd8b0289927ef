-- wrk script for bench/run: records household visits (入户走访) through POST /api/v1/visits as a
-- logged-in committee member, one new visit per request. Every request carries a client id made
-- of the run tag, the wrk thread number and a per-thread counter, so no request is answered as a
-- duplicate and each one is a real insert (one transaction per visit). The households are taken
-- in turn from a comma-separated list.
--
-- Arguments after `--`: SESSION CSRF DAY HOUSEHOLDS TAG, e.g.
--   wrk -t2 -c32 -d10s -s bench/visit.lua http://127.0.0.1:18481 -- abc… xyz… 2026-11-28 3,4,5 r1

local threads = {}

-- setup: numbers each wrk thread before it starts, so that client ids never collide across threads.
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

-- init: reads the arguments and sets the headers every request sends.
function init(args)
  session, csrf, day, tag = args[1], args[2], args[3], args[5]
  households = {}
  for id in string.gmatch(args[4] or "", "%d+") do table.insert(households, id) end
  if not (session and csrf and day and tag) or #households == 0 then
    error("visit.lua needs: SESSION CSRF DAY HOUSEHOLDS TAG")
  end
  counter = 0
  wrk.method = "POST"
  wrk.path = "/api/v1/visits"
  wrk.headers["Cookie"] = "zw_session=" .. session
  wrk.headers["X-CSRF-Token"] = csrf
  wrk.headers["Content-Type"] = "application/json"
end

-- request: one visit with a fresh client id, to the next household in the list.
function request()
  counter = counter + 1
  local hh = households[(counter % #households) + 1]
  local body = string.format(
    '{"client_id":"bench-%s-%d-%d","visited_on":"%s","household":%s,"purpose":"基准测试走访","requests":"无","duties":1}',
    tag, tid, counter, day, hh)
  return wrk.format(nil, nil, nil, body)
end
