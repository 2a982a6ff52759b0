-- Fills a server through its own POST /add, as fast as it takes them, and exits as soon as
-- WRK_STOP_AT adds are acknowledged. Exiting (rather than wrk's own stop, which still waits
-- out -d) ends the run at once; at most one add per connection is then in flight, so a
-- server stays below WRK_STOP_AT + connections links and bench/run adds the rest one by one.
-- Any status but 200 aborts with exit code 2.
local stop_at = tonumber(os.getenv("WRK_STOP_AT") or "1000")
local sent, acked = 0, 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

request = function()
  sent = sent + 1
  return wrk.format(nil, "/add", nil, "url=https://example.com/page/seed-" .. sent)
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("POST /add answered ", status, ": ", body or "", "\n")
    os.exit(2)
  end
  acked = acked + 1
  if acked >= stop_at then os.exit(0) end
end
