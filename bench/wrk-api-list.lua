-- GET /rest/v3/short-urls (the first page, newest first, 10 links) with the API key from
-- GOTO_BENCH_API_KEY; BENCH_LIST_QUERY adds a query string.
wrk.headers["X-Api-Key"] = os.getenv("GOTO_BENCH_API_KEY")
local query = os.getenv("BENCH_LIST_QUERY") or ""
wrk.path = "/rest/v3/short-urls" .. (query ~= "" and ("?" .. query) or "")
