-- GET /<key> for every key in order, from WRK_FROM (default 0) up, wrapping at WRK_N: one visit
-- of each link, so that a benchmark can measure goto after every link has been visited once, as
-- in a goto that has served for a while (a link's first visit makes its counts; see
-- bench/run's visits section). Keys as in wrk-redirect.lua: base 62, alphabet a-z A-Z 0-9.
local alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
local N = tonumber(os.getenv("WRK_N") or "100000")
local next_key = tonumber(os.getenv("WRK_FROM") or "0") % N

local function key(n)
  local s = ""
  repeat
    local d = n % 62
    s = alphabet:sub(d + 1, d + 1) .. s
    n = math.floor(n / 62)
  until n == 0
  return s
end

request = function()
  local path = "/" .. key(next_key)
  next_key = (next_key + 1) % N
  return wrk.format("GET", path)
end
