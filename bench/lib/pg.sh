# The PostgreSQL store for the bench (section pg): a PostgreSQL server of the bench's own,
# initdb'd under $WORK/pg from Debian's postgresql package (as its postgres user when the bench
# runs as root, since PostgreSQL refuses root), on port GOTO_PORT+30, stopped on exit.

PG_BIN=""
PG_DIR=""
PG_AS=()

start_bench_pg() {
  [ -n "$PG_DIR" ] && return 0
  local v
  for v in /usr/lib/postgresql/*/bin; do [ -x "$v/initdb" ] && PG_BIN=$v; done
  [ -n "$PG_BIN" ] || { say "bench: section pg needs Debian's postgresql package (apt-get install postgresql)"; return 1; }
  command -v psql >/dev/null || { say "bench: section pg needs psql (postgresql-client)"; return 1; }
  PG_PORT=$((GOTO_PORT + 30))
  port_in_use "$PG_PORT" && { say "bench: port $PG_PORT for PostgreSQL is in use; set BENCH_PORT"; return 1; }
  PG_DIR=$WORK/pg
  rm -rf "$PG_DIR"; mkdir -p "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PG_DIR"; PG_AS=(runuser -u postgres --); fi
  say "starting PostgreSQL ($PG_BIN) on port $PG_PORT"
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U goto -E UTF8 --no-locale >"$RESULTS/logs/pg-initdb.log" 2>&1 ||
    { tail -n 20 "$RESULTS/logs/pg-initdb.log" >&2; return 1; }
  # A server as a small production one would run it (fsync on), on the load core: the bench
  # measures what a node costs, and the database is another machine in production (its
  # processes inherit the core from pg_ctl, so visits written to it never take goto's core).
  taskset -c "$LOAD_CPU" "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=" start >"$RESULTS/logs/pg-start.log" 2>&1 ||
    { tail -n 20 "$PG_DIR/server.log" >&2; return 1; }
}

stop_bench_pg() {
  [ -n "$PG_DIR" ] || return 0
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"; PG_DIR=""
}

pg_sql() {   # pg_sql DATABASE ARGS... : psql as goto, stopping at the first error
  local db=$1; shift
  psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U goto -d "$db" "$@"
}

# seed_pg N : sets PG_URL to a database with keys 0..N-1 to the same URLs as seed_goto's: goto
# creates its tables at a first start, then the links go in by COPY, as an operator's bulk load
# would, and the key lease and change number move past them.
seed_pg() {
  local n=$1 db=goto_bench_$1
  start_bench_pg || return 1
  PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$db?user=goto"
  [ "${SEEDED_PG[$n]:-}" = 1 ] && return 0
  say "loading $(fmt_int "$n") links into PostgreSQL (database $db)"
  PGOPTIONS=--client-min-messages=warning pg_sql postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" || return 1
  PORT=$GOTO_PORT
  start_goto "$RESULTS/logs/pg-migrate-$n.log" "$DATA/adds-$RANDOM" off -db="$PG_URL" && wait_status "$GOTO_PORT" /a 404 || return 1
  stop_server "$SERVER_PID"
  awk -v n="$n" -v alphabet="$KEY_ALPHABET" 'BEGIN {
      for (i = 0; i < n; i++) {
        k = i; s = ""
        do { s = substr(alphabet, k % 62 + 1, 1) s; k = int(k / 62) } while (k > 0)
        printf "%s\tcounter\thttps://example.com/page/%d\t2026-01-01 00:00:00+00\tf\tt\t%d\n", s, i, i + 1
      }
    }' | pg_sql "$db" -c "TRUNCATE short_urls" \
      -c "COPY short_urls (short_code, origin, long_url, date_created, crawlable, forward_query, change_seq) FROM STDIN" || return 1
  pg_sql "$db" -o /dev/null -c "SELECT setval('short_code_leases', $(( (n / 1000 + 3) * 1000 )), false)" \
    -c "UPDATE short_url_changes SET last_seq = $n" -c "VACUUM ANALYZE short_urls" || return 1
  SEEDED_PG[$n]=1
}
declare -A SEEDED_PG=()

# pg_nodes_run SERIES NODES : NODES goto nodes on one new, empty database, POST /add through all
# of them at once (one wrk per node, the connections shared out), RUNS runs after a warm-up;
# records the median of the runs' summed req/s as SERIES rps. The nodes share the server core,
# so this shows what the database and the key leases let several nodes do together, not what
# more machines would add.
pg_nodes_run() {
  local name=$1 nodes=$2 db=goto_bench_nodes_$2 i r port sum saved=$CONNECTIONS
  local pids=() ports=() sums=() rps
  start_bench_pg || return 1
  PGOPTIONS=--client-min-messages=warning pg_sql postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" || return 1
  for ((i = 0; i < nodes; i++)); do
    port=$((GOTO_PORT + 40 + i))
    start_server "goto node $i" "$port" "$RESULTS/logs/$name.node$i.log" "${GOTO_CMD[@]}" -http="127.0.0.1:$port" \
      -file="$DATA/adds-$RANDOM" -host="127.0.0.1:$port" -admin=off \
      -db="jdbc:postgresql://127.0.0.1:$PG_PORT/$db?user=goto" || return 1
    pids+=("$SERVER_PID"); ports+=("$port")
    wait_status "$port" /a 404 || return 1
  done
  CONNECTIONS=$((saved / nodes))
  for ((r = 0; r <= RUNS; r++)); do   # run 0 is the warm-up
    local wrks=()
    for ((i = 0; i < nodes; i++)); do
      wrk_run "$name.run$r.node$i" "$([ "$r" = 0 ] && echo "$WARMUP" || echo "$DURATION")" "$ADD_LUA" 0 "${ports[$i]}" &
      wrks+=("$!")
    done
    wait "${wrks[@]}"   # the wrks only: the servers are this shell's children too
    [ "$r" = 0 ] && continue
    sum=0
    for ((i = 0; i < nodes; i++)); do
      read -r rps _ < <(wrk_parse "$RESULTS/wrk/$name.run$r.node$i.txt")
      sum=$(calc "$sum + ${rps:-0}")
    done
    say "   $name run $r: $(fmt_int "$sum") creates/s through $nodes node(s) together"
    sums+=("$sum")
  done
  CONNECTIONS=$saved
  record "$name" rps "$(median "${sums[@]}")"
  for i in "${pids[@]}"; do stop_server "$i"; done
}
