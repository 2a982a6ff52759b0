# The three servers (goto, the Go reference, nginx): building, seeding data and starting them.

# ---- goto ----------------------------------------------------------------------------------

# GOTO_CMD runs goto. By default the repository's launcher, which execs the JVM with the
# product's own options; BENCH_GOTO_DIRECT=1 runs the jar with the JDK that bin/jdk.sh finds.
set_goto_cmd() {
  GOTO_JAVA_HOME=""
  if [ -f "$ROOT/bin/jdk.sh" ]; then
    # shellcheck source=/dev/null
    GOTO_JAVA_HOME=$(. "$ROOT/bin/jdk.sh" && find_jdk) || GOTO_JAVA_HOME=""
  fi
  if [ "${BENCH_GOTO_DIRECT:-0}" = 1 ]; then
    [ -n "$GOTO_JAVA_HOME" ] || die "BENCH_GOTO_DIRECT=1 needs bin/jdk.sh to find a JDK"
    # shellcheck disable=SC2206 # GOTO_JVM_OPTS is a list of options, as in ./goto
    GOTO_CMD=("$GOTO_JAVA_HOME/bin/java" ${GOTO_JVM_OPTS:-} -jar "$ROOT/target/goto.jar")
  else
    GOTO_CMD=("$ROOT/goto")
  fi
}

build_goto() {
  local log=$RESULTS/logs/goto-build.log
  [ -x "$ROOT/goto" ] || { say "bench: $ROOT/goto (goto's launcher) is missing"; return 1; }
  say "building goto ($ROOT/goto --build-only)"
  if ! (cd "$ROOT" && ./goto --build-only) >"$log" 2>&1; then
    say "bench: goto did not build; last lines of $log:"; tail -n 20 "$log" | sed 's/^/    /' >&2
    return 1
  fi
  [ -f "$ROOT/target/goto.jar" ] || { say "bench: the build left no $ROOT/target/goto.jar"; return 1; }
}

# build_compare REV : builds goto as of commit REV, from a copy of that commit's files in the
# scratch folder (kept for the next invocation), and sets COMPARE_SHA and COMPARE_CMD, which
# runs it the way GOTO_CMD runs this goto.
build_compare() {
  local rev=$1 dir log=$RESULTS/logs/compare-build.log
  COMPARE_SHA=$(git -C "$ROOT" rev-parse --short "$rev^{commit}" 2>/dev/null) ||
    { say "bench: BENCH_COMPARE_REV=$rev is not a commit of $ROOT"; return 1; }
  dir=$WORK/compare-$COMPARE_SHA
  if [ ! -f "$dir/target/goto.jar" ]; then
    rm -rf "$dir" && mkdir -p "$dir" && git -C "$ROOT" archive "$COMPARE_SHA" | tar -x -C "$dir" || return 1
    say "building goto at $COMPARE_SHA to compare with ($dir)"
    (cd "$dir" && ./goto --build-only) >"$log" 2>&1 || { tail -n 20 "$log" >&2; return 1; }
  fi
  if [ "${BENCH_GOTO_DIRECT:-0}" = 1 ]; then
    # shellcheck disable=SC2206 # GOTO_JVM_OPTS is a list of options, as in ./goto
    COMPARE_CMD=("$GOTO_JAVA_HOME/bin/java" ${GOTO_JVM_OPTS:-} -jar "$dir/target/goto.jar")
  else
    COMPARE_CMD=("$dir/goto")
  fi
  GOTO_JVM_LINE="$GOTO_JVM_LINE
compared with goto at $COMPARE_SHA (${COMPARE_CMD[*]/#$WORK\//bench/.work/})"
}

# start_goto LOG FILE ADMIN [FLAGS...] : ADMIN is "on" (own admin port) or "off".
start_goto() {
  local log=$1 file=$2 admin=$3; shift 3
  local admin_flag=-admin=off
  if [ "$admin" = on ]; then
    port_in_use "$GOTO_ADMIN_PORT" && { say "bench: goto's admin port $GOTO_ADMIN_PORT is in use"; return 1; }
    admin_flag=-admin=127.0.0.1:$GOTO_ADMIN_PORT
  fi
  start_server goto "$GOTO_PORT" "$log" "${GOTO_CMD[@]}" -http="127.0.0.1:$GOTO_PORT" \
    -file="$file" -host="127.0.0.1:$GOTO_PORT" "$admin_flag" "$@" || return 1
}

# seed_goto N : sets SEED_FILE to a fresh data file with keys 0..N-1, written offline by
# `goto import`.
# Made anew on every invocation (goto's file format may change with its code); the import
# time is recorded as "import-N".
seed_goto() {
  local n=$1 file=$DATA/goto-$1.log log=$RESULTS/logs/goto-import-$1.log t0
  SEED_FILE=$file
  [ "${SEEDED_GOTO[$n]:-}" = 1 ] && return 0
  rm -rf "$file"
  say "importing $(fmt_int "$n") links into goto ($file)"
  t0=$(now)
  if ! seq -f 'https://example.com/page/%.0f' 0 $((n - 1)) |
      "${GOTO_CMD[@]}" import -file="$file" - >"$log" 2>&1; then
    say "bench: goto import failed; last lines of $log:"; tail -n 20 "$log" | sed 's/^/    /' >&2
    return 1
  fi
  record "import-$(size_label "$n").goto" import_s "$(calc "$(now) - $t0")"
  SEEDED_GOTO[$n]=1
}
declare -A SEEDED_GOTO=()

# seed_slugs N : sets SEED_FILE to a fresh data file with N links under the custom slugs s-0 ..
# s-(N-1), to the same URLs as seed_goto's keys, written by `goto import` from "SLUG URL" lines.
seed_slugs() {
  local n=$1 file=$DATA/goto-slugs-$1.log log=$RESULTS/logs/goto-import-slugs-$1.log
  SEED_FILE=$file
  [ "${SEEDED_SLUGS[$n]:-}" = 1 ] && return 0
  rm -rf "$file"
  say "importing $(fmt_int "$n") custom slugs into goto ($file)"
  if ! seq -f '%.0f' 0 $((n - 1)) | awk '{ printf "s-%s https://example.com/page/%s\n", $1, $1 }' |
      "${GOTO_CMD[@]}" import -file="$file" - >"$log" 2>&1; then
    say "bench: goto import of slugs failed; last lines of $log:"; tail -n 20 "$log" | sed 's/^/    /' >&2
    return 1
  fi
  SEEDED_SLUGS[$n]=1
}
declare -A SEEDED_SLUGS=()

# seed_compare N : as seed_goto, with the import of goto at BENCH_COMPARE_REV (its own file
# format, which may be older than this goto's).
seed_compare() {
  local n=$1 file=$DATA/goto-compare-$1.log log=$RESULTS/logs/goto-compare-import-$1.log
  SEED_FILE=$file
  [ "${SEEDED_COMPARE[$n]:-}" = 1 ] && return 0
  rm -rf "$file"
  say "importing $(fmt_int "$n") links into goto at $COMPARE_SHA ($file)"
  seq -f 'https://example.com/page/%.0f' 0 $((n - 1)) | "${COMPARE_CMD[@]}" import -file="$file" - >"$log" 2>&1 ||
    { say "bench: the import of goto at $COMPARE_SHA failed; see $log"; return 1; }
  SEEDED_COMPARE[$n]=1
}
declare -A SEEDED_COMPARE=()

# ---- the reference (seed goto v3, Go) ----------------------------------------------------------

build_ref() {
  local src=$SHARED/baseline/seed-goto-v3 log=$RESULTS/logs/ref-build.log
  [ -f "$src/main.go" ] || die "the reference's sources are not at $src (set BENCH_SHARED?)"
  # Built from a copy: shared/ may be read-only, and the copy records what was measured.
  rm -rf "$WORK/ref-src" && cp -r "$src" "$WORK/ref-src" && chmod -R u+w "$WORK/ref-src"
  [ -n "${HOME:-}" ] || export GOCACHE=$WORK/go-cache
  (cd "$WORK/ref-src" && go build -o "$WORK/goto-ref.new" .) >"$log" 2>&1 ||
    { cat "$log" >&2; die "the reference did not build"; }
  # A data file seeded by an older binary is still valid: the gob format is the reference's.
  mv "$WORK/goto-ref.new" "$WORK/goto-ref"
}

start_ref() {
  local log=$1 file=$2
  start_server reference "$REF_PORT" "$log" "$WORK/goto-ref" -http="127.0.0.1:$REF_PORT" \
    -file="$file" -host="127.0.0.1:$REF_PORT"
}

# seed_ref N : sets SEED_FILE to a gob file holding keys 0..N-1. The reference can only be
# filled through its own POST /add, so wrk adds all but the last few as fast as the server
# takes them, then curl adds the rest one at a time until the server hands out key N-1.
# Seeded files are kept in the scratch folder, since they only depend on N.
seed_ref() {
  local n=$1 file=$DATA/ref-$1.gob tmp=$DATA/ref-$1.gob.partial log=$RESULTS/logs/ref-seed-$1.log t0
  SEED_FILE=$file
  [ -f "$file" ] && return 0
  say "seeding the reference with $(fmt_int "$n") links through POST /add ($file)"
  rm -f "$tmp"
  start_ref "$log" "$tmp" && wait_status "$REF_PORT" /a 404 || return 1
  t0=$(now)
  if ! ref_bulk_adds "$n" "$log.wrk" || ! ref_adds_until "$n"; then stop_server "$SERVER_PID"; return 1; fi
  # The reference acknowledges before writing: wait until its file stops growing.
  wait_file_settles "$tmp"
  stop_server "$SERVER_PID"
  say "   seeded in $(fmt_dec "$(calc "$(now) - $t0")" 1) s"
  # Check the file by loading it once: key N-1 must redirect, key N must not exist.
  start_ref "$log.check" "$tmp" && wait_status "$REF_PORT" /a 302 && verify_links "$REF_PORT" "$n" ||
    { stop_server "$SERVER_PID"; return 1; }
  stop_server "$SERVER_PID"
  mv "$tmp" "$file"
}

# ref_bulk_adds N WRK_LOG : wrk-seed.lua stops 2 x CONNECTIONS short of N. At most one add per
# connection is in flight when it exits, so the server ends below N whatever the timing.
ref_bulk_adds() {
  local n=$1 log=$2 margin=$((2 * CONNECTIONS)) rc=0
  [ "$n" -gt $((2 * margin)) ] || return 0   # too few to be worth it
  WRK_STOP_AT=$((n - margin)) taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d600s \
    -s "$BENCH/wrk-seed.lua" "http://127.0.0.1:$REF_PORT" >"$log" 2>&1 || rc=$?
  [ "$rc" -eq 0 ] || { say "bench: seeding with wrk failed (exit $rc):"; cat "$log" >&2; return 1; }
  sleep 0.2   # let the server finish the adds that were in flight when wrk exited
}

# ref_adds_until N : one add at a time until the reference answers with key N-1, the N-th link.
ref_adds_until() {
  local n=$1 i body idx=-1 limit=$(( $1 > 4 * CONNECTIONS ? 6 * CONNECTIONS : $1 ))
  for ((i = 0; idx < n - 1; i++)); do
    [ "$i" -le "$limit" ] || { say "bench: the bulk adds stopped far short of $n"; return 1; }
    body=$(curl -sf --data "url=https://example.com/page/seed-last-$i" "http://127.0.0.1:$REF_PORT/add") &&
      idx=$(key_index "${body##*/}") || { say "bench: POST /add failed while seeding (got '$body')"; return 1; }
  done
  [ "$idx" -eq $((n - 1)) ] || { say "bench: seeding overshot: the last add got key index $idx, not $((n - 1))"; return 1; }
}

wait_file_settles() {
  local size=-1 next
  while next=$(stat -c %s "$1") && [ "$next" != "$size" ]; do size=$next; sleep 0.3; done
}

# ---- nginx, the ceiling ------------------------------------------------------------------------

start_nginx() {
  local log=$1 dir=$WORK/nginx nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$dir/tmp"
  # One worker and a constant 302: what answering a tiny HTTP request costs on one core.
  # keepalive_requests is raised so that wrk's connections stay open as they do with goto.
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000000;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { return 302 https://example.com/x; }
  }
}
CONF
  start_server nginx "$NGINX_PORT" "$log" "$nginx" -e stderr -p "$dir/" -c "$dir/nginx.conf"
}

# ---- checks that a server holds exactly the links it should ------------------------------------

# verify_links PORT N [LOCATIONS] : key 0 and key N-1 redirect, key N does not exist. With
# LOCATIONS=exact (goto, imported in order) key i must also point at .../page/i.
verify_links() {
  local port=$1 n=$2 exact=${3:-} i got want
  for i in 0 $((n - 1)); do
    got=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$port/$(key_of "$i")")
    want="302 https://example.com/page/$i"
    if [ "$exact" = exact ] && [ "$got" != "$want" ] || [ "${got%% *}" != 302 ]; then
      say "bench: GET /$(key_of "$i") gave '$got', expected '${want}'"; return 1
    fi
  done
  got=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/$(key_of "$n")")
  [ "$got" = 404 ] || { say "bench: GET /$(key_of "$n") gave $got, expected 404 (more than $n links?)"; return 1; }
}
