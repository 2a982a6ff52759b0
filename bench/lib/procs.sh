# Starting, watching and stopping the servers under test. Every server is started through
# start_server, so the EXIT trap can kill whatever is still running.

STARTED_PIDS=()
SERVER_PID=""      # the server started last
SERVER_T0=""       # when it was launched (seconds since the epoch)
SERVER_LOG=""

kill_started() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null && stop_server "$pid" 5
  done
  return 0
}

# start_server NAME PORT LOG COMMAND... : pinned to the server core, output to LOG, in a
# process group of its own so that stopping it also stops anything it started.
# The command must exec the server (setsid, taskset, ./goto and the JVM all do), so that $! is
# the server itself: its /proc entry gives the CPU time and RSS that are reported.
start_server() {
  local name=$1 port=$2 log=$3; shift 3
  if port_in_use "$port"; then
    say "bench: port $port is already in use, so $name cannot be started; free it or set BENCH_PORT"
    return 1
  fi
  SERVER_LOG=$log
  SERVER_T0=$(now)
  setsid taskset -c "$SERVER_CPU" "$@" >"$log" 2>&1 </dev/null &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
}

# wait_status PORT PATH STATUS : polls until GET PATH answers STATUS, the server dies, or
# BENCH_START_TIMEOUT passes. On failure shows the end of the server's log.
wait_status() {
  local port=$1 path=$2 want=$3 got="" deadline
  deadline=$(( ${EPOCHREALTIME%[.,]*} + START_TIMEOUT ))
  while :; do
    got=$(http_status "$port" "$path") && [ "$got" = "$want" ] && return 0
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      server_failed "exited before answering GET $path"; return 1
    fi
    if [ "${EPOCHREALTIME%[.,]*}" -ge "$deadline" ]; then
      server_failed "GET $path gave '${got:-no answer}', not $want, after ${START_TIMEOUT}s"; return 1
    fi
    sleep 0.005
  done
}

server_failed() {
  say "bench: server (pid $SERVER_PID) $1; last lines of $SERVER_LOG:"
  tail -n 20 "$SERVER_LOG" | sed 's/^/    /' >&2
}

# stop_server PID [GRACE] : SIGTERM to its process group, then SIGKILL if the server is still
# there after GRACE seconds.
stop_server() {
  local pid=$1 grace=${2:-$STOP_GRACE} i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < grace * 20; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "pid $pid still running ${grace}s after SIGTERM; killing it"
  fi
  # Whatever is left of the group (a stray child of a launcher, say) goes too.
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# The program the server pid runs now, e.g. "java" or "goto-ref": shows whether a launcher
# exec'd (a script's own comm is its file name, so this reads the executable).
proc_name() { local exe; exe=$(readlink "/proc/$1/exe" 2>/dev/null) && echo "${exe##*/}" || echo gone; }

# utime+stime (fields 14 and 15 of /proc/PID/stat, clock ticks) of PID and its children:
# nginx answers in a worker process under its master.
# With SERVER_EXTRA_PIDS set (a peer shortener is several processes), theirs and their children's too.
cpu_ticks() {
  local pid root total=0 line fields pids=()
  for root in "$1" ${SERVER_EXTRA_PIDS:-}; do
    pids+=("$root" $(cat /proc/"$root"/task/*/children 2>/dev/null))
  done
  for pid in "${pids[@]}"; do
    line=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
    read -r -a fields <<<"${line##*) }"      # the command name may hold spaces: cut after ")"
    total=$((total + fields[11] + fields[12]))
  done
  echo "$total"
}

rss_mb() { awk '/^VmRSS:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status"; }
