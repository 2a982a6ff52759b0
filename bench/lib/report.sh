# The table: one row per measurement, medians, with ratios. Rows name the series whose
# results they show; a series that was not run shows "—", one that failed shows "failed".

declare -A FAILED   # series -> 1

# Human size for labels and series names: 1000 -> 1k, 10000000 -> 10M.
size_label() {
  local n=$1
  if [ $((n % 1000000)) -eq 0 ]; then echo "$((n / 1000000))M"
  elif [ $((n % 1000)) -eq 0 ]; then echo "$((n / 1000))k"
  else echo "$n"; fi
}

# cell SERIES METRIC : the formatted value, with * when wrk's core was the limit and ! when
# some responses were errors.
cell() {
  local series=$1 metric=$2 v=${RESULT["$1 $2"]:-} mark=""
  if [ -z "$v" ]; then
    if [ -n "$series" ] && [ -n "${FAILED[$series]:-}" ]; then echo failed; else echo "—"; fi
    return
  fi
  if [ "$metric" = rps ]; then
    awk -v b="${RESULT["$series wrk_busy"]:-0}" 'BEGIN { exit !(b >= 90) }' && mark="*"
    [ "${RESULT["$series bad"]:-0}" -eq 0 ] || mark="$mark!"
  fi
  case $metric in
    rps|rss_mb) echo "$(fmt_int "$v")$mark" ;;
    p50|p99|start_s) fmt_dec "$v" 2 ;;
    cpu_us|import_s) fmt_dec "$v" 1 ;;
    *) echo "$v" ;;
  esac
}

ratio() {
  local a=${RESULT["$1 $3"]:-} b=${RESULT["$2 $3"]:-}
  [ -n "$a" ] && [ -n "$b" ] || { echo ""; return; }
  awk -v a="$a" -v b="$b" 'BEGIN { if (b == 0) print ""; else printf "%.2f\n", a / b }'
}

row() {   # row LABEL METRIC SERIES_A SERIES_B [SERIES_C]
  local label=$1 metric=$2 a=$3 b=$4 c=${5:-}
  printf '%-44s %12s %12s %8s %12s\n' "$label" "$(cell "$a" "$metric")" "$(cell "$b" "$metric")" \
    "$(ratio "$a" "$b" "$metric")" "$([ -n "$c" ] && cell "$c" "$metric")"
}

print_table() {
  local s m b l
  s=$(size_label "$LINKS"); m=$(size_label "$START_LINKS"); b=$(size_label "$BIG_LINKS"); l=$(size_label "$SMALL_LINKS")
  cat <<HEAD
goto vs the reference (seed goto v3) — $(date -u '+%Y-%m-%d %H:%M UTC'), goto $GOTO_VERSION
median of $RUNS run(s) of ${DURATION}s after a ${WARMUP}s warm-up; server on CPU $SERVER_CPU, load on CPU $LOAD_CPU:
  taskset -c $LOAD_CPU wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s <script> http://127.0.0.1:<port>
$GOTO_JVM_LINE
HEAD
  printf '\n%-44s %12s %12s %8s %12s\n' "measurement" "goto" "reference" "ratio" "nginx"
  row "redirects/s, $s links" rps "redirect-$s.goto" "redirect-$s.ref" "redirect.nginx"
  row "  p50 latency, ms" p50 "redirect-$s.goto" "redirect-$s.ref" "redirect.nginx"
  row "  p99 latency, ms" p99 "redirect-$s.goto" "redirect-$s.ref" "redirect.nginx"
  row "  server CPU, µs/request" cpu_us "redirect-$s.goto" "redirect-$s.ref" "redirect.nginx"
  row "adds/s, goto durable (default)" rps add-durable.goto add.ref
  row "  p50 latency, ms" p50 add-durable.goto add.ref
  row "  p99 latency, ms" p99 add-durable.goto add.ref
  row "  server CPU, µs/request" cpu_us add-durable.goto add.ref
  row "adds/s, goto async (-sync=false)" rps add-async.goto add.ref
  row "  p50 latency, ms" p50 add-async.goto add.ref
  row "  p99 latency, ms" p99 add-async.goto add.ref
  row "  server CPU, µs/request" cpu_us add-async.goto add.ref
  row "start to first redirect, $m links, s" start_s "start-$m.goto" "start-$m.ref"
  row "  RSS right after it, MB" rss_mb "start-$m.goto" "start-$m.ref"

  printf '\n%-44s %12s %12s %8s\n' "goto alone" "goto" "compared" "ratio"
  row "redirects/s, -admin=off (compared: on)" rps "redirect-$s-noadmin.goto" "redirect-$s.goto"
  row "  server CPU, µs/request" cpu_us "redirect-$s-noadmin.goto" "redirect-$s.goto"
  row "redirects/s, $l links (compared: $s)" rps "redirect-$l.goto" "redirect-$s.goto"
  row "  server CPU, µs/request" cpu_us "redirect-$l.goto" "redirect-$s.goto"
  row "redirects/s, $b links (compared: $s)" rps "redirect-$b.goto" "redirect-$s.goto"
  row "  p99 latency, ms" p99 "redirect-$b.goto" "redirect-$s.goto"
  row "  server CPU, µs/request" cpu_us "redirect-$b.goto" "redirect-$s.goto"
  row "start to first redirect, $b links (vs $m), s" start_s "start-$b.goto" "start-$m.goto"
  row "  RSS right after it, MB" rss_mb "start-$b.goto" "start-$m.goto"
  row "import of $b links, s (compared: $m)" import_s "import-$b.goto" "import-$m.goto"
  cat <<FOOT

ratio = goto ÷ the column beside it: above 1 is better for req/s, below 1 for latency, CPU,
time and memory. Server CPU = its utime+stime over a run ÷ requests served.
* wrk's own core was ≥90% busy: wrk, not the server, set that rate; compare the CPU per request.
! some responses were errors (non-2xx/3xx or socket errors): see the wrk outputs.
Start = from launching the command to the first GET /a answered 302 (polled every ~5 ms).
FOOT
}
