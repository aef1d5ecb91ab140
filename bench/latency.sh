#!/usr/bin/env bash
# Benchmark: latency hidden by requests in flight. RECORDS records against the simulator (its own JVM) answering each
# request after LATENCY ms, loaded at the default graph.concurrency and at graph.concurrency=1, each against a fresh
# simulator, in the same run; prints each one's records/s (the loader's own figure, from the first read to the last
# row) and their ratio (the issue's bound: at least 10).
#   bench/latency.sh [RECORDS] [LATENCY_MS]      defaults: 300 200
records=${1:-300}
latency=${2:-200}
. "$(dirname "$0")/common.sh"

run_at() {
  local label=$1
  shift
  rm -rf "$work/out"
  fresh_simulator --latency-ms "$latency"
  out=$work/out run_loader 256m "$@"
  rate=$(loader_rate)
  printf '%-34s %8.1f records/s   (wall time %.1f s, exit code %d)\n' "$label" "$rate" "$secs" "$code"
  exactly_once_report "$records" | grep -E '^(lost|duplicated)' | sed 's/^/  /'
}

make_csv "$records" "$work/inbox/bench.csv"
echo "input: $records records; simulator latency $latency ms per request"
default=$(grep -E '^graph.concurrency' src/main/resources/application.properties | sed 's/.*= *//')
run_at "graph.concurrency=$default (default)"
fast=$rate
run_at "graph.concurrency=1" -Dgraph.concurrency=1
slow=$rate
printf 'default / one at a time: %.1f\n' "$(echo "$fast / $slow" | bc -l)"
