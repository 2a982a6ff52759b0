-- bench/wrk-redirect.lua's requests (the script named by WRK_BASE_LUA), plus one line at the end
-- with the latency percentiles wrk's --latency does not print, for bench/tail:
--   tail-latency-us p50 p90 p99 p99.9 p99.99 max mean
dofile(os.getenv("WRK_BASE_LUA"))

done = function(summary, latency, requests)
  io.write(string.format("tail-latency-us %d %d %d %d %d %d %.1f\n",
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency:percentile(99.99), latency.max, latency.mean))
end
