#!/usr/bin/env bash
# Stopping mid-file: runs the jar on a large CSV against the Graph simulator (own JVM, some latency per
# request), sends SIGTERM part-way, then drops the retry file back in and runs again.
#   bench/stop-mid-file.sh [RECORDS] [SECONDS_BEFORE_STOP]      defaults: 10000 records, stop after 6 s
# Prints: how long the stop took, the outcomes of the stopped run, and that the second run completes the load
# with every record created exactly once. Not part of the test suite.
records=${1:-10000}
wait_s=${2:-6}
. "$(dirname "$0")/common.sh"
start_simulator --latency-ms 5

awk -v n="$records" 'BEGIN { print "Device name,Action,Date/time";
  for (i = 1; i <= n; i++) printf "PC-%07d,Wipe,2025-01-15T10:00:00Z\n", i }' > "$work/inbox/big.csv"

cd "$work"
java -jar "$jar" --once --inbox inbox --out out > run1.log 2>&1 &
app=$!
sleep "$wait_s"
stop_start=$(date +%s.%N)
kill -TERM "$app"
set +e; wait "$app"; code=$?; set -e
stop_end=$(date +%s.%N)
count() { grep -c ",$1," "$2" || true; }
res=out/results/big.results.csv
rows=$(($(wc -l < "$res") - 1))
created1=$(count created "$res")
retry1=$(count retry "$res")
retry_file_rows=$(($(wc -l < out/retries/big.retry.csv) - 1))
printf 'stopped run: SIGTERM after %s s, exit code %s, stop took %.1f s\n' "$wait_s" "$code" "$(echo "$stop_end - $stop_start" | bc -l)"
printf '  results rows: %d of %d (created %d, retry %d); retry file rows: %d; input in processed/: %s\n' \
  "$rows" "$records" "$created1" "$retry1" "$retry_file_rows" "$([ -f out/processed/big.csv ] && echo yes || echo no)"

mv out/retries/big.retry.csv inbox/
java -jar "$jar" --once --inbox inbox --out out > run2.log 2>&1 || true
created2=$(count created out/results/big.retry.results.csv)
printf 'second run on the retry file: created %d; created in all: %d of %d\n' "$created2" \
  "$((created1 + created2))" "$records"

# what the simulator holds: every device name once
names=$(sim_names)
printf 'simulator holds %d records, %d distinct device names\n' "$(echo "$names" | grep -c .)" \
  "$(echo "$names" | sort -u | grep -c .)"
