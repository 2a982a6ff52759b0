# Sourced by goto's scripts. Finds a JDK 21 or newer and sets the Maven options that JDK needs.
# Looks in $JAVA_HOME, then the java on PATH, then the usual install folders; the newest wins
# among the install folders so that a machine whose default java is too old still works.

GOTO_MIN_JAVA=21

# The feature release of the JDK at $1 (e.g. 25), or nothing if it is not a JDK.
jdk_major() {
  local home=$1 version="" line
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  # Read with bash alone, not sed: ./goto asks this of every JDK it finds at every start.
  if [ -f "$home/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      if [[ $line =~ ^JAVA_VERSION=\"([0-9]+) ]]; then version=${BASH_REMATCH[1]}; break; fi
    done <"$home/release"
  fi
  if [ -z "${version:-}" ]; then
    version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java.specification.version = \([0-9][0-9]*\).*/\1/p')
  fi
  [ -n "$version" ] && echo "$version"
}

# Prints the home of a JDK >= 21, or explains what to install and fails.
find_jdk() {
  local candidates=() home major best="" best_major=0
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for home in /usr/lib/jvm/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    major=$(jdk_major "$home") || continue
    # $JAVA_HOME is honoured whenever it is new enough; otherwise the newest JDK found wins.
    if [ "$home" = "${JAVA_HOME:-}" ] && [ "$major" -ge "$GOTO_MIN_JAVA" ]; then
      echo "$home"; return 0
    fi
    if [ "$major" -gt "$best_major" ]; then best=$home; best_major=$major; fi
  done
  if [ "$best_major" -ge "$GOTO_MIN_JAVA" ]; then
    echo "$best"; return 0
  fi
  echo "goto needs a JDK $GOTO_MIN_JAVA or newer, and none was found (newest seen: ${best_major:-none})." >&2
  echo "Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or a Temurin JDK, or set JAVA_HOME to it." >&2
  return 1
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
