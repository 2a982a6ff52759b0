# Section peers: goto beside the shorteners people run instead, YOURLS (PHP + MariaDB) and Kutt
# (Node + SQLite), each set up from scratch by shared/peers' scripts (Debian packages and npm:
# minutes) with everything it needs pinned to the server core and wrk on the other, the same
# protocol as every other figure. All three count visits, their default: goto tracks visits,
# YOURLS logs each click, Kutt records each visit of a non-bot agent (wrk sends no User-Agent).
# All three serve the same links k1..kN (custom keywords / slugs to https://example.com/page/N).

SERVER_EXTRA_PIDS=""   # more processes whose CPU counts as the server's (a peer is several)

# seed_peer_goto N : SEED_FILE with N links under the custom slugs k1..kN, by `goto import`.
seed_peer_goto() {
  local n=$1 file=$DATA/goto-peers-$1.log log=$RESULTS/logs/goto-import-peers-$1.log
  SEED_FILE=$file
  rm -rf "$file" "$file.visits"
  seq -f '%.0f' 1 "$n" | awk '{ printf "k%s https://example.com/page/%s\n", $1, $1 }' |
    "${GOTO_CMD[@]}" import -file="$file" - >"$log" 2>&1 ||
    { say "bench: goto import of k1..k$n failed; see $log"; return 1; }
}

# peer_goto_run SERIES N : goto with its defaults (visits tracked) on k1..kN, a warm-up of at
# least 10 s (the user-agent rules load on the first visit).
peer_goto_run() {
  local name=$1 n=$2 warmup=$WARMUP got
  seed_peer_goto "$n" || return 1
  PORT=$GOTO_PORT; start_goto "$RESULTS/logs/$name.log" "$SEED_FILE" on || return 1
  wait_status "$PORT" /k1 302 && check_exec || return 1
  got=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$PORT/k$n")
  [ "$got" = "302 https://example.com/page/$n" ] || { say "bench: goto GET /k$n gave '$got'"; return 1; }
  WARMUP=$((WARMUP > 10 ? WARMUP : 10))
  run_load "$name" "$PORT" "$BENCH/wrk-peer.lua" "$n" || { WARMUP=$warmup; return 1; }
  WARMUP=$warmup
  record "$name" visits_recorded "$(metric "$GOTO_ADMIN_PORT" goto_visits_recorded_total)"
  stop_server "$SERVER_PID"
}

# peer_run SERIES PEER N : PEER (yourls or kutt) set up by its script with N links, measured,
# stopped. Its CPU is that of every process it runs (web server, workers, database).
peer_run() {
  local name=$1 peer=$2 n=$3 script=$SHARED/peers/$2.sh port pids got rc=0
  [ -x "$script" ] || { say "bench: no $script (shared/peers missing)"; return 1; }
  case $peer in
    yourls) port=$((GOTO_PORT + 30)) ;;
    kutt) port=$((GOTO_PORT + 31)) ;;
  esac
  say "setting up $peer from scratch with $n links (packages, database, links: minutes)"
  if ! PORT=$port CORE=$SERVER_CPU NLINKS=$n PEERS_DIR=$WORK/peers "$script" start >"$RESULTS/logs/$name.setup.log" 2>&1; then
    say "bench: $peer did not set up; last lines of $RESULTS/logs/$name.setup.log:"
    tail -n 20 "$RESULTS/logs/$name.setup.log" | sed 's/^/    /' >&2
    PEERS_DIR=$WORK/peers "$script" stop >/dev/null 2>&1 || true
    return 1
  fi
  case $peer in
    yourls) pids="$(cat "$WORK/peers/yourls/run/nginx.pid") $(cat "$WORK/peers/yourls/run/php-fpm.pid") $(pidof mariadbd)" ;;
    kutt) pids=$(cat "$WORK/peers/kutt/kutt.pid") ;;
  esac
  # shellcheck disable=SC2086 # a list of pids
  set -- $pids
  SERVER_PID=$1; shift; SERVER_EXTRA_PIDS="$*"; SERVER_LOG=$RESULTS/logs/$name.setup.log
  got=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$port/k$n")
  case $got in
    30[1278]" https://example.com/page/$n") ;;
    *) say "bench: $peer GET /k$n gave '$got'"; rc=1 ;;
  esac
  [ "$rc" = 0 ] && { run_load "$name" "$port" "$BENCH/wrk-peer.lua" "$n" || rc=1; }
  SERVER_PID=""; SERVER_EXTRA_PIDS=""
  PEERS_DIR=$WORK/peers "$script" stop >>"$RESULTS/logs/$name.setup.log" 2>&1 || true
  return $rc
}

section_peers() {
  local n=${BENCH_PEER_LINKS:-3000}
  goto_series peers.goto peer_goto_run "$n"
  series peers.yourls peer_run yourls "$n"
  series peers.kutt peer_run kutt "$n"
}
