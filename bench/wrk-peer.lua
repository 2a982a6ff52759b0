-- GET /k<n> for random n in 1..N: the links k1..kN that shared/peers' scripts create in YOURLS
-- and Kutt, and that section peers imports into goto as custom slugs, so every shortener is
-- measured on the same paths.
local N = tonumber(os.getenv("WRK_N") or "3000")
local random = math.random

init = function(args)
  math.randomseed(os.time())
end

request = function()
  return wrk.format("GET", "/k" .. random(1, N))
end
