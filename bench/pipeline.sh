#!/usr/bin/env bash
# Benchmark: the loader's own pace end to end, at zero latency. RECORDS records as one CSV, the simulator in its own
# JVM (a fresh one for each run), the embedded ledger on, the write budget off (the simulator enforces no quota, and
# paced at Intune's 10 writes/s this would measure the quota, not the loader). Two runs from one command: the defaults
# with graph.batch-size=20, and graph.concurrency=1 graph.batch-size=1 (one record at a time, as before requests in
# flight). Prints each run's records/s (the loader's own figure) and wall time, the ratio, and the CPU each process
# spent per record: the two share this machine's cores, so their sum bounds the rate any run can reach.
#   bench/pipeline.sh [RECORDS] [HEAP]      defaults: 1000000 256m
# The issue's bounds: at least 15,000 records/s batched, and at least 3 times the one-at-a-time run.
records=${1:-1000000}
heap=${2:-256m}
. "$(dirname "$0")/common.sh"

run_at() {
  local label=$1
  shift
  rm -rf "$work/out"
  fresh_simulator
  out=$work/out run_loader "$heap" "$@"
  rate=$(loader_rate)
  printf '%-44s %9.1f records/s  (wall time %.1f s, peak RSS %d MB, exit code %d)\n' "$label" "$rate" "$secs" \
    "$rss_mb" "$code"
  local sim_secs cores
  sim_secs=$(sim_cpu)
  cores=$(nproc)
  # CPU per record of both processes; with every core busy, the pair could do at most cores / (their sum) records/s
  printf '  CPU per record: loader %.0f us, simulator %.0f us; %d cores busy all the time would allow %.0f records/s\n' \
    "$(echo "$cpu_secs * 1000000 / $records" | bc -l)" "$(echo "$sim_secs * 1000000 / $records" | bc -l)" "$cores" \
    "$(echo "$cores * $records / ($cpu_secs + $sim_secs)" | bc -l)"
  grep -E "records: created" "$work/log" | sed 's/^.*\] /  /; s/| target [^|]*|//; s/| input: .*//'
}

make_csv "$records" "$work/inbox/bench.csv"
echo "input: $records records, $(du -h "$work/inbox/bench.csv" | cut -f1); zero latency; ledger on; heap $heap"
run_at "defaults, graph.batch-size=20" -Dgraph.batch-size=20
batched=$rate
run_at "graph.concurrency=1 graph.batch-size=1" -Dgraph.concurrency=1 -Dgraph.batch-size=1
single=$rate
printf 'batched / one at a time: %.2f\n' "$(echo "$batched / $single" | bc -l)"
