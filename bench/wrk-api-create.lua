-- POST /rest/v3/short-urls with {"longUrl": "https://example.com/page/<counter>"} and the API key
-- from GOTO_BENCH_API_KEY: the REST API's create, the same URLs as wrk-add.lua's /add.
local counter = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Api-Key"] = os.getenv("GOTO_BENCH_API_KEY")

request = function()
  counter = counter + 1
  return wrk.format(nil, "/rest/v3/short-urls", nil, '{"longUrl": "https://example.com/page/' .. counter .. '"}')
end
