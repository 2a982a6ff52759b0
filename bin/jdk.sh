# Sourced by goto's scripts. Finds a JDK 21 or newer and sets the Maven options that JDK needs.
# Looks in $JAVA_HOME, then the java on PATH, then the usual install folders; the newest wins
# among the install folders so that a machine whose default java is too old still works.

GOTO_MIN_JAVA=21

# The feature release of the JDK at $1 (e.g. 25), or nothing if it is not a JDK.
jdk_major() {
  jdk_major_of "$1" && echo "$JDK_MAJOR"
}

# Sets JDK_MAJOR to the feature release of the JDK at $1, or fails if it is not a JDK. Reads its
# release file with bash alone, in this shell: ./goto asks this of every JDK it finds at every
# start, and a subshell or a process each was most of what the launcher cost.
jdk_major_of() {
  local home=$1 line
  JDK_MAJOR=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  if [ -f "$home/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then JDK_MAJOR=${BASH_REMATCH[1]}; break; fi
    done <"$home/release"
  fi
  if [ -z "$JDK_MAJOR" ]; then
    JDK_MAJOR=$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java.specification.version = \([0-9][0-9]*\).*/\1/p')
  fi
  [ -n "$JDK_MAJOR" ]
}

# Where locate_jdk looks after $JAVA_HOME and the javac on the PATH (each may hold several JDKs).
JDK_FOLDERS=(/usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*)

# Sets JDK_HOME and JDK_MAJOR to a JDK >= 21, or explains what to install and fails: $JAVA_HOME
# whenever it is new enough, otherwise the newest JDK among the javac on the PATH and those in
# JDK_FOLDERS (the first of them on a tie). Starts no process and no subshell when the javac on
# the PATH is one of the JDKs in JDK_FOLDERS, as a distribution's /usr/bin/javac is: ./goto runs
# this at every start, and the processes it started were most of what the launcher cost.
locate_jdk() {
  local candidates=() folders=() home dir javac="" path_dirs=() best="" best_major=0
  # $JAVA_HOME is honoured whenever it is new enough; otherwise the newest JDK found wins.
  if [ -n "${JAVA_HOME:-}" ] && jdk_major_of "$JAVA_HOME" && [ "$JDK_MAJOR" -ge "$GOTO_MIN_JAVA" ]; then
    JDK_HOME=$JAVA_HOME; return 0
  fi
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME") # too old, but the newest seen if it is all there is
  for home in "${JDK_FOLDERS[@]}"; do
    [ -d "$home" ] && folders+=("$home")
  done
  # The javac on the PATH (as `command -v` finds it) and the JDK it belongs to: a folder already
  # listed when it is the same file (-ef follows links), else found by resolving its links.
  IFS=: read -r -a path_dirs <<<"$PATH"
  for dir in "${path_dirs[@]}"; do
    [ -f "${dir:-.}/javac" ] && [ -x "${dir:-.}/javac" ] && { javac=${dir:-.}/javac; break; }
  done
  if [ -n "$javac" ]; then
    home=""
    for dir in "${folders[@]}"; do
      [ "$javac" -ef "$dir/bin/javac" ] && { home=$dir; break; }
    done
    if [ -z "$home" ]; then
      javac=$(readlink -f "$javac")
      home=${javac%/*}; home=${home%/*}
    fi
    candidates+=("$home")
  fi
  candidates+=("${folders[@]}")
  for home in "${candidates[@]}"; do
    jdk_major_of "$home" || continue
    if [ "$JDK_MAJOR" -gt "$best_major" ]; then best=$home; best_major=$JDK_MAJOR; fi
  done
  if [ "$best_major" -ge "$GOTO_MIN_JAVA" ]; then
    JDK_HOME=$best; JDK_MAJOR=$best_major; return 0
  fi
  JDK_HOME=""; JDK_MAJOR=""
  echo "goto needs a JDK $GOTO_MIN_JAVA or newer, and none was found (newest seen: ${best_major:-none})." >&2
  echo "Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin JDK, or set JAVA_HOME to it." >&2
  return 1
}

# Prints the home of a JDK >= 21 (see locate_jdk), or explains what to install and fails.
find_jdk() {
  locate_jdk && echo "$JDK_HOME"
}

# Maven's own libraries call sun.misc.Unsafe, which JDK 24+ warns about on every run.
maven_opts_for() {
  local major
  major=$(jdk_major "$1") || return 0
  if [ "$major" -ge 24 ]; then echo "--sun-misc-unsafe-memory-access=allow"; fi
}

# Runs Maven with the JDK found above.
run_maven() {
  local home
  home=$(find_jdk) || return 1
  if ! command -v mvn >/dev/null 2>&1; then
    echo "goto builds with Apache Maven, which is not installed: 'apt-get install maven'." >&2
    return 1
  fi
  JAVA_HOME=$home MAVEN_OPTS="${MAVEN_OPTS:-} $(maven_opts_for "$home")" mvn "$@"
}
