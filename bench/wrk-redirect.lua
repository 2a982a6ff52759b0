-- GET /<key> for random existing keys: the same requests as shared/baseline/wrk-redirect.lua
-- (keys base 62 of 0..N-1, alphabet a-z A-Z 0-9, N from WRK_N, math.random seeded by time),
-- but each key is computed when its request is made instead of read from a table built in
-- init. With 10,000,000 keys that table costs wrk half its request rate (measured against
-- nginx, which ignores the path: ~42k instead of ~90k req/s) and 30 s to build; computing
-- the key is as cheap as the lookup at 100,000 keys.
local alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
local N = tonumber(os.getenv("WRK_N") or "100000")
local digit = {}
for j = 0, 61 do digit[j] = alphabet:byte(j + 1) end
local char, floor, random = string.char, math.floor, math.random
local SLASH = 47

-- "/" .. key(n), built from bytes in one string.char call (keys up to 6 characters: 56 billion).
local function path(n)
  if n < 62 then return char(SLASH, digit[n]) end
  local d0 = n % 62; n = floor(n / 62)
  if n < 62 then return char(SLASH, digit[n], digit[d0]) end
  local d1 = n % 62; n = floor(n / 62)
  if n < 62 then return char(SLASH, digit[n], digit[d1], digit[d0]) end
  local d2 = n % 62; n = floor(n / 62)
  if n < 62 then return char(SLASH, digit[n], digit[d2], digit[d1], digit[d0]) end
  local d3 = n % 62; n = floor(n / 62)
  if n < 62 then return char(SLASH, digit[n], digit[d3], digit[d2], digit[d1], digit[d0]) end
  local d4 = n % 62; n = floor(n / 62)
  return char(SLASH, digit[n], digit[d4], digit[d3], digit[d2], digit[d1], digit[d0])
end

init = function(args)
  math.randomseed(os.time())
  if os.getenv("WRK_DEBUG") then
    print(path(0), path(1), path(61), path(62), path(3843), path(3844), path(N - 1))
  end
end

request = function()
  return wrk.format("GET", path(random(0, N - 1)))
end
