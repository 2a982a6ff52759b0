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

# Each measured run's figures, per series, space-separated, until record_runs takes their medians.
declare -A RUN_RPS=() RUN_P50=() RUN_P99=() RUN_CPU=() RUN_WRK=() RUN_OTHER=() RUN_BAD=()

# measure_run SERIES PORT LUA N I : measured run I of SERIES against $SERVER_PID (its log
# $SERVER_LOG): rate, latency, the server's CPU per request, wrk's core and what other processes
# took meanwhile; the last run's CPU per request is also left in LAST_CPU_US.
measure_run() {
  local series=$1 port=$2 lua=$3 n=$4 i=$5 before after m_before m_after t0 secs wcpu r req l50 l99 b cpu
  before=$(cpu_ticks "$SERVER_PID"); m_before=$(machine_busy_ticks); t0=$(now)
  wrk_run "$series.run$i" "$DURATION" "$lua" "$n" "$port" || return 1
  after=$(cpu_ticks "$SERVER_PID"); m_after=$(machine_busy_ticks); secs=$(calc "$(now) - $t0")
  kill -0 "$SERVER_PID" 2>/dev/null || { server_failed "died during $series run $i"; return 1; }
  read -r r req l50 l99 b < <(wrk_parse "$RESULTS/wrk/$series.run$i.txt")
  read -r wcpu < <(awk '{ print $1 + $2 }' "$RESULTS/wrk/$series.run$i.txt.cpu")
  cpu=$(calc "($after - $before) * 1e6 / $CLK_TCK / $req")
  LAST_CPU_US=$cpu
  RUN_RPS[$series]+=" $r"; RUN_P50[$series]+=" $l50"; RUN_P99[$series]+=" $l99"; RUN_CPU[$series]+=" $cpu"
  RUN_WRK[$series]+=" $(calc "100 * $wcpu / $secs")"
  # What neither the server nor wrk used: other work on the machine, which skews the rates.
  RUN_OTHER[$series]+=" $(calc "100 * (($m_after - $m_before - $after + $before) / $CLK_TCK - $wcpu) / $secs")"
  RUN_BAD[$series]=$(( ${RUN_BAD[$series]:-0} + b ))
  say "   $series run $i: $(fmt_int "$r") req/s, p50 $l50 ms, p99 $l99 ms," \
    "server CPU $(fmt_dec "$cpu" 1) µs/req, wrk core $(fmt_dec "${RUN_WRK[$series]##* }" 0)% busy," \
    "others $(fmt_dec "${RUN_OTHER[$series]##* }" 0)% of a core$([ "$b" -eq 0 ] || echo ", $b bad")"
}

# record_runs SERIES : the medians of SERIES' measured runs (the most others took, the errors' sum).
record_runs() {
  local series=$1 bad=${RUN_BAD[$1]:-0}
  record "$series" rps "$(median ${RUN_RPS[$series]})"
  record "$series" p50 "$(median ${RUN_P50[$series]})"
  record "$series" p99 "$(median ${RUN_P99[$series]})"
  record "$series" cpu_us "$(median ${RUN_CPU[$series]})"
  record "$series" wrk_busy "$(median ${RUN_WRK[$series]})"
  record "$series" others_busy "$(printf '%s\n' ${RUN_OTHER[$series]} | sort -g | tail -n 1)"
  record "$series" bad "$bad"
  [ "$bad" -eq 0 ] || warn "$series: $bad responses were errors (non-2xx/3xx or socket errors), see $RESULTS/wrk/"
}

# run_load SERIES PORT LUA N : warm-up and measured runs against $SERVER_PID.
run_load() {
  local series=$1 port=$2 lua=$3 n=$4 i
  unset "RUN_RPS[$series]" "RUN_P50[$series]" "RUN_P99[$series]" "RUN_CPU[$series]" \
    "RUN_WRK[$series]" "RUN_OTHER[$series]" "RUN_BAD[$series]"
  if [ "$WARMUP" -gt 0 ]; then
    wrk_run "$series.warmup" "$WARMUP" "$lua" "$n" "$port" || return 1
  fi
  for ((i = 1; i <= RUNS; i++)); do
    measure_run "$series" "$port" "$lua" "$n" "$i" || return 1
  done
  record_runs "$series"
}
