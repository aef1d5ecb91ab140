#!/usr/bin/env bash
# Benchmark: one large CSV through the real jar against the Graph simulator, the loader with a small fixed
# heap, to show the file is streamed (never loaded whole) and to measure end-to-end records/s.
#   bench/large-file.sh [RECORDS] [HEAP] [ROUNDS]      defaults: 100000 records, -Xmx64m, 2 rounds
# The simulator runs in its own JVM so its record store does not count against the loader's heap.
# Each round runs the same file twice, each into its own output folder: without the record ledger
# (etl.ledger.enabled=false: at-least-once, as before it) and with it (the default); the rounds alternate the two, so a
# machine that slows down part-way weighs on both alike. Prints per run: records, outcomes, wall time, records/s, the
# loader's peak RSS; then the best of each and their ratio (what exactly-once costs). Not part of the test suite.
records=${1:-100000}
heap=${2:-64m}
rounds=${3:-2}
. "$(dirname "$0")/common.sh"
# a fresh simulator for each run (common.sh's fresh_simulator)

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

best_off=0
best_on=0
for round in $(seq 1 "$rounds"); do
  rm -rf "$work/out-off" "$work/out-on"
  fresh_simulator
  out=$work/out-off run_loader "$heap" -Detl.ledger.enabled=false
  report "round $round, ledger off (etl.ledger.enabled=false)" "$work/out-off/results/bench.results.csv"
  best_off=$(echo "if ($rate > $best_off) $rate else $best_off" | bc -l)
  fresh_simulator
  out=$work/out-on run_loader "$heap"
  report "round $round, ledger on (default: embedded, $(du -sh "$work/out-on/ledger" | cut -f1) after the run)" \
    "$work/out-on/results/bench.results.csv"
  best_on=$(echo "if ($rate > $best_on) $rate else $best_on" | bc -l)
done
printf 'best of %d: ledger off %.0f records/s, ledger on %.0f records/s\n' "$rounds" "$best_off" "$best_on"
printf 'ledger on / ledger off: %.3f\n' "$(echo "$best_on / $best_off" | bc -l)"
