# Small helpers shared by bench/run: messages, numbers, goto's keys, probes over plain TCP.

say()  { printf '%s\n' "$*" >&2; }
step() { printf '\n== %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'bench: %s\n' "$*" >&2; exit 1; }

# Seconds since the epoch with microseconds, without forking (bash 5).
now() { printf '%s\n' "${EPOCHREALTIME/,/.}"; }

# Arithmetic on decimals, e.g. calc "$ticks * 1e6 / $requests"; the operands are numbers the
# script measured itself.
calc() { awk "BEGIN { print $* }"; }

# Median of the numbers given (mean of the two middle ones for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) exit 1
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A duration given as "10" or "10s" -> 10.
seconds() { local v=${1%s}; [[ $v =~ ^[0-9]+$ ]] || die "not a whole number of seconds: '$1'"; echo "$v"; }

# goto's and the reference's key for counter n: base 62, alphabet a-z A-Z 0-9, 0 -> "a".
readonly KEY_ALPHABET=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789
key_of() {
  local n=$1 s=""
  [ "$n" -eq 0 ] && { echo a; return; }
  while [ "$n" -gt 0 ]; do s=${KEY_ALPHABET:n%62:1}$s; n=$((n / 62)); done
  echo "$s"
}
key_index() {
  local key=$1 n=0 i c prefix
  for ((i = 0; i < ${#key}; i++)); do
    c=${key:i:1}; prefix=${KEY_ALPHABET%%"$c"*}
    [ ${#prefix} -lt 62 ] || return 1
    n=$((n * 62 + ${#prefix}))
  done
  echo "$n"
}

# Sets GOTO_PORT, and beside it GOTO_ADMIN_PORT (+1), REF_PORT (+10) and NGINX_PORT (+20): from
# BENCH_PORT when it is set, otherwise a free block picked by free_base_port.
bench_ports() {
  if [ -n "${BENCH_PORT:-}" ]; then
    [[ $BENCH_PORT =~ ^[0-9]+$ ]] || die "not a whole number: BENCH_PORT='$BENCH_PORT'"
    GOTO_PORT=$BENCH_PORT
  else
    GOTO_PORT=$(free_base_port) || die "found no free ports for the servers; set BENCH_PORT"
  fi
  GOTO_ADMIN_PORT=$((GOTO_PORT + 1))
  REF_PORT=$((GOTO_PORT + 10))
  NGINX_PORT=$((GOTO_PORT + 20))
}

# A port P such that nothing accepts connections on P, P+1, P+10 or P+20, picked at random below
# the kernel's ephemeral range (where port-0 listeners and outgoing connections land), so that
# benchmark runs and test suites running at once on one machine do not fight over fixed ports.
free_base_port() {
  local low=20000 high=32000 first rest tries base
  if [ -r /proc/sys/net/ipv4/ip_local_port_range ]; then
    read -r first rest </proc/sys/net/ipv4/ip_local_port_range
    [ "$first" -gt $((low + 1000)) ] && high=$((first - 21))
  fi
  for ((tries = 0; tries < 100; tries++)); do
    base=$((low + RANDOM % (high - low)))
    port_in_use "$base" || port_in_use $((base + 1)) || port_in_use $((base + 10)) ||
      port_in_use $((base + 20)) || { echo "$base"; return 0; }
  done
  return 1
}

# True when something accepts connections on 127.0.0.1:PORT.
port_in_use() {
  local fd
  if { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null; then exec {fd}>&-; return 0; fi
  return 1
}

# Prints the status code of GET PATH on 127.0.0.1:PORT, or fails if nothing answers.
# Plain bash over /dev/tcp: no process per probe, so start times can be polled every few ms.
# Call it as $(http_status ...): the subshell keeps a SIGPIPE from reaching the script.
http_status() {
  local port=$1 path=$2 fd line
  { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&"$fd"
  IFS= read -r -t 10 line <&"$fd" || true
  exec {fd}>&-
  line=${line%$'\r'}
  line=${line#HTTP/1.? }
  [ -n "$line" ] || return 1
  echo "${line%% *}"
}

# Formats for the table.
fmt_int() { awk -v v="$1" 'BEGIN { s = sprintf("%.0f", v); r = "";
  while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) }
  print s r }'; }
fmt_dec() { awk -v v="$1" -v d="$2" 'BEGIN { printf "%.*f\n", d, v }'; }
