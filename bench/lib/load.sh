# Load runs with wrk, following the baseline protocol: wrk pinned to its own core, a warm-up,
# then RUNS measured runs against one server process; medians are recorded.

declare -A RESULT=()   # "series metric" -> value; also appended to results.tsv

record() {
  RESULT["$1 $2"]=$3
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS/results.tsv"
}

# wrk_run NAME SECONDS LUA N PORT : one wrk run, raw output kept in results/.../wrk/NAME.txt.
# bash's `time` gives wrk's own CPU time, which tells when wrk rather than the server is the limit.
wrk_run() {
  local secs=$2 lua=$3 n=$4 port=$5 out="$RESULTS/wrk/$1.txt" TIMEFORMAT='%U %S'
  {
    echo "# WRK_N=$n taskset -c $LOAD_CPU wrk -t$THREADS -c$CONNECTIONS -d${secs}s --latency -s $lua http://127.0.0.1:$port"
    { time WRK_N=$n taskset -c "$LOAD_CPU" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" --latency \
        -s "$lua" "http://127.0.0.1:$port" 2>&1; } 2>"$out.cpu"
  } >"$out"
  grep -q '^Requests/sec:' "$out" || { say "bench: wrk failed, see $out:"; sed 's/^/    /' "$out" >&2; return 1; }
}

# Prints "req/s requests p50_ms p99_ms bad" from a wrk --latency output;
# bad = non-2xx/3xx responses + socket errors.
wrk_parse() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return v / 1000
      if (v ~ /ms$/) return v + 0
      if (v ~ /m$/)  return v * 60000
      return v * 1000
    }
    /^Requests\/sec:/               { rps = $2 }
    / requests in /                 { requests = $1 }
    /^ +50% /                       { p50 = ms($2) }
    /^ +99% /                       { p99 = ms($2) }
    /Non-2xx or 3xx responses:/     { bad += $NF }
    /Socket errors:/                { for (i = 3; i <= NF; i += 2) bad += $(i + 1) }
    END { printf "%s %s %s %s %d\n", rps, requests, p50, p99, bad }' "$1"
}

# CPU time the whole machine spent busy, in clock ticks: user nice system irq softirq steal.
machine_busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }

# run_load SERIES PORT LUA N : warm-up and measured runs against $SERVER_PID.
run_load() {
  local series=$1 port=$2 lua=$3 n=$4 i before after m_before m_after t0 secs wcpu
  local rps=() p50=() p99=() cpu=() wrk_busy=() other=() bad=0 r req l50 l99 b
  if [ "$WARMUP" -gt 0 ]; then
    wrk_run "$series.warmup" "$WARMUP" "$lua" "$n" "$port" || return 1
  fi
  for ((i = 1; i <= RUNS; i++)); do
    before=$(cpu_ticks "$SERVER_PID"); m_before=$(machine_busy_ticks); t0=$(now)
    wrk_run "$series.run$i" "$DURATION" "$lua" "$n" "$port" || return 1
    after=$(cpu_ticks "$SERVER_PID"); m_after=$(machine_busy_ticks); secs=$(calc "$(now) - $t0")
    kill -0 "$SERVER_PID" 2>/dev/null || { server_failed "died during $series run $i"; return 1; }
    read -r r req l50 l99 b < <(wrk_parse "$RESULTS/wrk/$series.run$i.txt")
    read -r wcpu < <(awk '{ print $1 + $2 }' "$RESULTS/wrk/$series.run$i.txt.cpu")
    rps+=("$r"); p50+=("$l50"); p99+=("$l99"); bad=$((bad + b))
    cpu+=("$(calc "($after - $before) * 1e6 / $CLK_TCK / $req")")
    wrk_busy+=("$(calc "100 * $wcpu / $secs")")
    # What neither the server nor wrk used: other work on the machine, which skews the rates.
    other+=("$(calc "100 * (($m_after - $m_before - $after + $before) / $CLK_TCK - $wcpu) / $secs")")
    say "   $series run $i: $(fmt_int "$r") req/s, p50 $l50 ms, p99 $l99 ms," \
      "server CPU $(fmt_dec "${cpu[-1]}" 1) µs/req, wrk core $(fmt_dec "${wrk_busy[-1]}" 0)% busy," \
      "others $(fmt_dec "${other[-1]}" 0)% of a core$([ "$b" -eq 0 ] || echo ", $b bad")"
  done
  record "$series" rps "$(median "${rps[@]}")"
  record "$series" p50 "$(median "${p50[@]}")"
  record "$series" p99 "$(median "${p99[@]}")"
  record "$series" cpu_us "$(median "${cpu[@]}")"
  record "$series" wrk_busy "$(median "${wrk_busy[@]}")"
  record "$series" others_busy "$(printf '%s\n' "${other[@]}" | sort -g | tail -n 1)"
  record "$series" bad "$bad"
  [ "$bad" -eq 0 ] || warn "$series: $bad responses were errors (non-2xx/3xx or socket errors), see $RESULTS/wrk/"
}
