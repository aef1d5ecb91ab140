# Shared by the benchmarks (sourced, not run): the jar, a work folder removed on exit, the simulator in a JVM of its
# own, and a loader run timed with its peak RSS.

set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/remote-action-audit-etl.jar ] || mvn -B -q package -DskipTests
jar=$PWD/target/remote-action-audit-etl.jar
work=$(mktemp -d)
sim_pid=
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/inbox"

# start_simulator [ARGS...]: the simulator in its own JVM; exports the GRAPH_* variables that point the loader at it
start_simulator() {
  java -cp "$jar" io.github.raaetl.simulator.GraphSimulator "$@" > "$work/sim.env" 2>"$work/sim.log" &
  sim_pid=$!
  for _ in $(seq 1 100); do grep -q GRAPH_CLIENT_SECRET "$work/sim.env" 2>/dev/null && break; sleep 0.1; done
  set -a; . "$work/sim.env"; set +a
}

# run_loader HEAP [JVM-OPTION...]: the jar with --once on $work/inbox, output in ${out:-$work/out}; sets code, secs
# (wall time) and rss_mb (peak RSS). Options such as -Detl.ledger.enabled=false go before -jar.
run_loader() {
  local start end heap=$1
  shift
  start=$(date +%s.%N)
  code=0
  /usr/bin/time -f "%M" -o "$work/rss" java -Xmx"$heap" "$@" -jar "$jar" --once --keep-input \
    --inbox "$work/inbox" --out "${out:-$work/out}" > "$work/log" 2>&1 || code=$?
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  rss_mb=$(( $(tail -1 "$work/rss") / 1024 ))
}
