# The table: one row per measurement, medians, with ratios. Rows name the series whose
# results they show; a series that was not run shows "—", one that failed shows "failed".

declare -A FAILED=()   # series -> "failed" or why it did not run

# Human size for labels and series names: 1000 -> 1k, 10000000 -> 10M.
size_label() {
  local n=$1
  if [ $((n % 1000000)) -eq 0 ]; then echo "$((n / 1000000))M"
  elif [ $((n % 1000)) -eq 0 ]; then echo "$((n / 1000))k"
  else echo "$n"; fi
}

# cell SERIES METRIC : the formatted value, with * when wrk's core was the limit and ! when
# some responses were errors; "—" when the series did not run, or why it has no value.
cell() {
  local series=$1 metric=$2 v=${RESULT["$1 $2"]:-} mark=""
  if [ -z "$v" ]; then
    if [ -n "$series" ] && [ -n "${FAILED[$series]:-}" ]; then echo "${FAILED[$series]}"; else echo "—"; fi
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
  awk -v a="$a" -v b="$b" 'BEGIN { if (b != 0) printf "%.2f\n", a / b }'
}

# pad WIDTH TEXT : TEXT padded with spaces to WIDTH characters, right-aligned for a positive
# WIDTH and left-aligned for a negative one. printf pads by bytes, and "µ" or "—" take more.
pad() {
  local width=$1 text=$2 LC_ALL=C.UTF-8 fill
  local n=$(( ${width#-} - ${#text} ))
  [ "$n" -gt 0 ] || n=0
  printf -v fill '%*s' "$n" ""
  if [ "$width" -lt 0 ]; then printf '%s%s' "$text" "$fill"; else printf '%s%s' "$fill" "$text"; fi
}

# row LABEL METRIC SERIES_A SERIES_B [SERIES_C] : A, B, A÷B, C. Rows of sections that were
# not run are left out.
row() {
  local label=$1 metric=$2 a=$3 b=$4 c=${5:-} ca cb cc="" line
  ca=$(cell "$a" "$metric"); cb=$(cell "$b" "$metric")
  [ -n "$c" ] && cc=$(cell "$c" "$metric")
  [ "$ca" = "—" ] && return 0   # a section that was not run
  line="$(pad -40 "$label") $(pad 12 "$ca") $(pad 12 "$cb") $(pad 8 "$(ratio "$a" "$b" "$metric")") $(pad 12 "$cc")"
  echo "${line%"${line##*[! ]}"}"
}

# The most CPU that other processes took during any measured run, in % of one core.
others_max() {
  local k max=""
  for k in "${!RESULT[@]}"; do
    [[ $k == *" others_busy" ]] || continue
    max=$(awk -v a="${max:--1000}" -v b="${RESULT[$k]}" 'BEGIN { print (b > a ? b : a) }')
  done
  [ -z "$max" ] || awk -v m="$max" 'BEGIN { printf "%.0f\n", (m < 0 ? 0 : m) }'   # ticks round
}

others_note() {
  local max; max=$(others_max)
  if [ -z "$max" ]; then
    return 0
  elif [ "$max" -lt 10 ]; then
    echo "Other processes took at most $max% of a core during any run."
  else
    echo "Other processes took up to $max% of a core during a run: the machine was shared, so"
    echo "rates and latencies are skewed; the CPU per request holds better."
  fi
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
  if [ -n "${RESULT["redirect-$s.goto rules_extra_s"]:-}" ]; then
    echo "goto's redirects, steady state: every link visited once ($(fmt_dec "${RESULT["redirect-$s.goto walk_s"]:-0}" 1) s), then a warm-up of"
    echo "  $((WARMUP > VISITS_SETTLE ? WARMUP : VISITS_SETTLE)) s and ${RESULT["redirect-$s.goto rules_extra_s"]} s more until its user-agent rules were in; section settle times a start's way there"
  fi
  echo
  echo "$(pad -40 measurement) $(pad 12 goto) $(pad 12 reference) $(pad 8 ratio) $(pad 12 nginx)"
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

  echo
  echo "$(pad -40 "goto alone (compared: another goto run)") $(pad 12 goto) $(pad 12 compared) $(pad 8 ratio)"
  if [ -n "${COMPARE_SHA:-}" ]; then
    row "redirects/s, $s links (vs goto@$COMPARE_SHA)" rps "redirect-$s.goto" "redirect-$s.base"
    row "  p99 latency, ms" p99 "redirect-$s.goto" "redirect-$s.base"
    row "  server CPU, µs/request" cpu_us "redirect-$s.goto" "redirect-$s.base"
    row "durable adds/s (vs goto@$COMPARE_SHA)" rps add-durable.goto add-durable.base
    row "  p99 latency, ms" p99 add-durable.goto add-durable.base
    row "  server CPU, µs/request" cpu_us add-durable.goto add-durable.base
  fi
  row "redirects/s, -admin=off (vs on)" rps "redirect-$s-noadmin.goto" "redirect-$s.goto"
  row "  server CPU, µs/request" cpu_us "redirect-$s-noadmin.goto" "redirect-$s.goto"
  row "redirects/s, $l links (vs $s)" rps "redirect-$l.goto" "redirect-$s.goto"
  row "  server CPU, µs/request" cpu_us "redirect-$l.goto" "redirect-$s.goto"
  row "redirects/s, $b links (vs $l)" rps "redirect-$b.goto" "redirect-$l.goto"
  row "  p99 latency, ms" p99 "redirect-$b.goto" "redirect-$l.goto"
  row "  server CPU, µs/request" cpu_us "redirect-$b.goto" "redirect-$l.goto"
  row "start to first redirect, $b (vs $m), s" start_s "start-$b.goto" "start-$m.goto"
  row "  RSS right after it, MB" rss_mb "start-$b.goto" "start-$m.goto"
  row "import of $b links (vs $m), s" import_s "import-$b.goto" "import-$m.goto"
  row "redirects/s, custom slugs (vs keys), -track=false, $s" rps "keys-vs-slugs-$s.b" "keys-vs-slugs-$s.a"
  row "  server CPU, µs/request" cpu_us "keys-vs-slugs-$s.b" "keys-vs-slugs-$s.a"
  row "redirects/s, on PostgreSQL (vs file), $s" rps "file-vs-pg-$s.b" "file-vs-pg-$s.a"
  row "  p99 latency, ms" p99 "file-vs-pg-$s.b" "file-vs-pg-$s.a"
  row "  server CPU, µs/request" cpu_us "file-vs-pg-$s.b" "file-vs-pg-$s.a"
  row "redirects/s, this goto ${BENCH_COMPARE_FLAGS--track=false} (vs goto@${COMPARE_SHA:-?}${BENCH_COMPARE_FLAGS:+ $BENCH_COMPARE_FLAGS}), $s" rps "head-vs-base-$s.a" "head-vs-base-$s.b"
  row "  server CPU, µs/request" cpu_us "head-vs-base-$s.a" "head-vs-base-$s.b"
  row "redirects/s, tracking on (vs -track=false), $s" rps "track-vs-off-$s.a" "track-vs-off-$s.b"
  row "  p99 latency, ms" p99 "track-vs-off-$s.a" "track-vs-off-$s.b"
  row "  server CPU, µs/request" cpu_us "track-vs-off-$s.a" "track-vs-off-$s.b"
  print_visits
  print_peers
  echo
  print_goals "$s" "$m" "$b" "$l"
  cat <<FOOT

ratio = goto ÷ the column beside it: above 1 is better for req/s, below 1 for latency, CPU,
time and memory. Server CPU = its utime+stime over a run ÷ requests served.
* wrk's own core was ≥90% busy: wrk, not the server, set that rate; compare the CPU per request.
! some responses were errors (non-2xx/3xx or socket errors): see the wrk outputs.
$(others_note)
Adds: the reference acknowledges an add before writing it; goto durable answers once the add
is on disk, goto async once it is queued. Start = from launching the command to the first
GET /a answered 302 (polled every ~5 ms).
FOOT
}

# The visits section's own lines: the sustained run and a link's stats at scale.
print_visits() {
  local v=visits-sustained.goto
  if [ -n "${RESULT[$v rps]:-}" ] || [ -n "${RESULT[track-vs-off-$(size_label "$LINKS") pairs]:-}" ]; then
    if [ "${VISITS_FIRST:-0}" = 1 ]; then
      echo "visits: measured with links' first visits inside the runs (BENCH_VISITS_FIRST=1)"
    else
      echo "visits: tracked and untracked launches measured after every link was visited once and ${VISITS_SETTLE:-30} s of load (BENCH_VISITS_FIRST=1: without)"
    fi
  fi
  if [ -n "${RESULT[$v rps]:-}" ]; then
    echo "visits, tracking on, ${VISITS_SECONDS}s at $CONNECTIONS connections: $(fmt_int "${RESULT[$v rps]}") redirects/s," \
      "$(fmt_dec "${RESULT[$v cpu_us]}" 1) µs CPU/request, p99 ${RESULT[$v p99]} ms"
    echo "  $(fmt_int "${RESULT[$v requests]}") requests, $(fmt_int "${RESULT[$v visits_recorded]}") visits recorded," \
      "${RESULT[$v visits_dropped]} dropped (queue high water ${RESULT[$v queue_high]}); visit log ${RESULT[$v disk_mb]} MB"
    echo "  RSS every 5 s: first ${RESULT[$v rss_first]} MB, last ${RESULT[$v rss_last]} MB, max ${RESULT[$v rss_max]} MB"
    [ -n "${RESULT[$v live_first]:-}" ] && echo "  live heap after a full GC: before the run ${RESULT[$v live_first]} MB, after it ${RESULT[$v live_last]:-?} MB"
  fi
  if [ -n "${RESULT[visits-stats summary of the hottest link]:-}" ]; then
    echo "a link's stats over $(fmt_int "$VISITS_STORED") stored visits (VisitStore queries, bench/compare/run logscale), ms:"
    local q
    for q in "summary of the hottest link" "newest 20 visits of the hottest link" "visits per day of the hottest link" \
        "hottest link's visits in one hour mid-way (count)"; do
      echo "  $(pad -56 "$q") ${RESULT[visits-stats $q]:-}"
    done
  fi
}

# Section peers: goto beside YOURLS and Kutt, visits counted by all three; ratio = goto ÷ peer.
print_peers() {
  [ -n "${RESULT[peers.goto rps]:-}${RESULT[peers.yourls rps]:-}${RESULT[peers.kutt rps]:-}" ] || return 0
  local n=${BENCH_PEER_LINKS:-3000} peer label
  echo
  echo "$(pad -40 "beside the shorteners people run ($n links k1..kN, visits counted)") $(pad 12 goto) $(pad 12 peer) $(pad 8 ratio)"
  for peer in yourls kutt; do
    case $peer in yourls) label="YOURLS 1.10.4 (PHP + MariaDB)" ;; kutt) label="Kutt 3.2.3 (Node + SQLite)" ;; esac
    row "redirects/s vs $label" rps peers.goto "peers.$peer"
    row "  p99 latency, ms" p99 peers.goto "peers.$peer"
    row "  server CPU, µs/request" cpu_us peers.goto "peers.$peer"
  done
  [ -z "${RESULT[peers.goto visits_recorded]:-}" ] ||
    echo "  goto recorded $(fmt_int "${RESULT[peers.goto visits_recorded]}") visits over its warm-up and runs"
}

# goal TEXT VALUE OP LIMIT : one line "met" or "missed"; nothing when VALUE was not measured.
goal() {
  local text=$1 value=$2 op=$3 limit=$4 verdict
  [ -n "$value" ] || return 0
  if awk -v v="$value" -v l="$limit" -v op="$op" 'BEGIN { exit !(op == ">=" ? v >= l : v <= l) }'; then
    verdict=met; else verdict=MISSED; fi
  printf '  %-66s %8s  %s\n' "$text (goal $op $limit)" "$(fmt_dec "$value" 2)" "$verdict"
}

# quotient A B : A ÷ B, or nothing when either is missing.
quotient() {
  [ -n "${1:-}" ] && [ -n "${2:-}" ] && awk -v a="$1" -v b="$2" 'BEGIN { if (b != 0) print a / b }'
}

print_goals() {
  local s=$1 m=$2 b=$3 l=$4
  echo "goals (ratios of this invocation's medians)"
  # Section redirects measures goto, the reference and nginx in turn, run by run: each ratio is
  # the median of its runs' ratios (a figure of the same minutes), the medians' ratio otherwise.
  local g="redirect-$s.goto" pairs=""
  [ -z "${RESULT[$g pairs]:-}" ] || pairs=" (median of ${RESULT[$g pairs]} interleaved runs)"
  goal "redirects/s, goto ÷ reference$pairs" \
    "${RESULT[$g rps_vs_ref]:-$(quotient "${RESULT[$g rps]:-}" "${RESULT[redirect-$s.ref rps]:-}")}" ">=" 1.5
  goal "  the same from CPU per request (reference ÷ goto)" \
    "${RESULT[$g cpu_vs_ref]:-$(quotient "${RESULT[redirect-$s.ref cpu_us]:-}" "${RESULT[$g cpu_us]:-}")}" ">=" 1.5
  goal "  redirect p99 at $CONNECTIONS connections, ms" "${RESULT[$g p99]:-}" "<=" 1
  goal "  CPU per redirect, goto ÷ nginx's return 302" \
    "${RESULT[$g cpu_vs_nginx]:-$(quotient "${RESULT[$g cpu_us]:-}" "${RESULT[redirect.nginx cpu_us]:-}")}" "<=" 1.3
  goal "durable adds/s, goto ÷ reference (median of ${RESULT[add-durable pairs]:-?} alternated pairs)" \
    "${RESULT[add-durable rps_ratio]:-$(quotient "${RESULT[add-durable.goto rps]:-}" "${RESULT[add.ref rps]:-}")}" ">=" 1.0
  goal "  durable add p99, ms" "${RESULT[add-durable.goto p99]:-}" "<=" 5
  goal "start with $m links, goto ÷ reference" \
    "$(quotient "${RESULT[start-$m.goto start_s]:-}" "${RESULT[start-$m.ref start_s]:-}")" "<=" 0.5
  goal "  RSS with $m links, goto ÷ reference" \
    "$(quotient "${RESULT[start-$m.goto rss_mb]:-}" "${RESULT[start-$m.ref rss_mb]:-}")" "<=" 1.0
  goal "redirects/s with $b links ÷ with $l" \
    "$(quotient "${RESULT[redirect-$b.goto rps]:-}" "${RESULT[redirect-$l.goto rps]:-}")" ">=" 0.9
  # Median of the launch pairs' ratios (see launches in bench/run); keys-vs-slugs pairs are keys ÷ slugs.
  local pairs; pairs=${RESULT[keys-vs-slugs-$s cpu_ratio]:-}
  goal "CPU per redirect, custom slug ÷ key (pairs: ${RESULT[keys-vs-slugs-$s pairs]:-})" \
    "$([ -n "$pairs" ] && calc "1 / $pairs")" "<=" 1.10
  # file-vs-pg pairs are file ÷ PostgreSQL: at least 0.95 is PostgreSQL's redirect within 5%.
  goal "CPU per redirect, file ÷ PostgreSQL (pairs: ${RESULT[file-vs-pg-$s pairs]:-})" \
    "${RESULT[file-vs-pg-$s cpu_ratio]:-}" ">=" 0.95
  goal "redirects/s, PostgreSQL ÷ file" \
    "$(quotient "${RESULT[file-vs-pg-$s.b rps]:-}" "${RESULT[file-vs-pg-$s.a rps]:-}")" ">=" 0.95
  goal "CPU per redirect, this goto ÷ goto@${COMPARE_SHA:-?} (pairs: ${RESULT[head-vs-base-$s pairs]:-})" \
    "${RESULT[head-vs-base-$s cpu_ratio]:-}" "<=" 1.05
  goal "CPU per redirect, tracking ÷ -track=false (pairs: ${RESULT[track-vs-off-$s pairs]:-})" \
    "${RESULT[track-vs-off-$s cpu_ratio]:-}" "<=" 1.15
  goal "redirects/s, tracking ÷ -track=false (medians over launches)" \
    "$(quotient "${RESULT[track-vs-off-$s.a rps]:-}" "${RESULT[track-vs-off-$s.b rps]:-}")" ">=" 0.9
  local v=visits-sustained.goto
  goal "visits dropped in ${VISITS_SECONDS}s at full rate, $CONNECTIONS connections" "${RESULT[$v visits_dropped]:-}" "<=" 0
  goal "  visits recorded ÷ requests served" \
    "$(quotient "${RESULT[$v visits_recorded]:-}" "${RESULT[$v requests]:-}")" ">=" 1.0
  goal "  live heap after a full GC, after ÷ before the run (memory bounded)" "$(quotient "${RESULT[$v live_last]:-}" "${RESULT[$v live_first]:-}")" "<=" 1.25
  goal "  RSS, last ÷ first sample (includes the heap the JVM grows into)" "$(quotient "${RESULT[$v rss_last]:-}" "${RESULT[$v rss_first]:-}")" "<=" 1.25
  local worst=""
  if [ -n "${RESULT[visits-stats summary of the hottest link]:-}" ]; then
    worst=$(printf '%s\n' "${RESULT[visits-stats summary of the hottest link]}" "${RESULT[visits-stats newest 20 visits of the hottest link]}" \
      "${RESULT[visits-stats visits per day of the hottest link]}" | sort -g | tail -n 1)
  fi
  goal "a link's stats over $(fmt_int "$VISITS_STORED") visits (summary, newest 20, per day), slowest, ms" "$worst" "<=" 50
}
