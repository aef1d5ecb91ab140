#!/usr/bin/env bash
# Benchmark: one large CSV through the real jar against the Graph simulator, the loader with a small fixed
# heap, to show the file is streamed (never loaded whole) and to measure end-to-end records/s.
#   bench/large-file.sh [RECORDS] [HEAP]      defaults: 100000 records, -Xmx64m
# The simulator runs in its own JVM so its record store does not count against the loader's heap.
# Runs twice on the same file, each into its own output folder: without the record ledger (etl.ledger.enabled=false:
# at-least-once, as before it) and with it (the default), to show what exactly-once costs.
# Prints per run: records, outcomes, wall time, records/s, the loader's peak RSS. Not part of the test suite.
records=${1:-100000}
heap=${2:-64m}
. "$(dirname "$0")/common.sh"
start_simulator

make_csv "$records" "$work/inbox/bench.csv"
echo "input: $records records, $(du -h "$work/inbox/bench.csv" | cut -f1)"

report() {
  local label=$1 results=$2
  if [ "$code" -ne 0 ]; then
    echo "$label: run failed with exit code $code:"; tail -20 "$work/log"; exit 1
  fi
  rows=$(($(wc -l < "$results") - 1))
  created=$(grep -c ',created,' "$results" || true)
  rate=$(echo "$rows / $secs" | bc -l)
  printf '%s\n  loader heap: -Xmx%s\n  results rows: %d (created: %d)\n  wall time: %.1f s (JVM start and first poll included)\n  throughput: %.0f records/s end to end\n  loader peak RSS: %d MB\n' \
    "$label" "$heap" "$rows" "$created" "$secs" "$rate" "$rss_mb"
  grep "bench.csv: $records records" "$work/log" | sed 's/^.*\] /  /'
}

out=$work/out-off run_loader "$heap" -Detl.ledger.enabled=false
report "ledger off (etl.ledger.enabled=false)" "$work/out-off/results/bench.results.csv"
off_rate=$rate
out=$work/out-on run_loader "$heap"
report "ledger on (default: embedded SQLite, $(du -h "$work/out-on/ledger/ledger.db" | cut -f1) after the run)" \
  "$work/out-on/results/bench.results.csv"
printf 'ledger on / ledger off: %.0f %%\n' "$(echo "100 * $rate / $off_rate" | bc -l)"
