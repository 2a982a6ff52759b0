-- GET /s-<n> for random n in 0..N-1: custom slugs as `goto import` seeds them ("s-N URL"
-- lines), so a slug's redirect is measured on the same links, the same way, as a key's.
local N = tonumber(os.getenv("WRK_N") or "100000")
local random = math.random

init = function(args)
  math.randomseed(os.time())
end

request = function()
  return wrk.format("GET", "/s-" .. random(0, N - 1))
end
