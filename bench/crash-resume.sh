#!/usr/bin/env bash
# Benchmark: exactly once across kill -9. One file of RECORDS records; the loader is killed with SIGKILL (no shutdown
# hook, nothing flushed) once the simulator holds 10 %, 30 %, 50 %, 70 % and 90 % of them, and started again each
# time on the same inbox and output folder; the last run finishes the file.
#   bench/crash-resume.sh [RECORDS]      default: 100000
# Prints: what each run found and did, then lost / duplicated / stored, read from the simulator's own store.
records=${1:-100000}
. "$(dirname "$0")/common.sh"
start_simulator
make_csv "$records" "$work/inbox/bench.csv"
echo "input: $records records, $(du -h "$work/inbox/bench.csv" | cut -f1)"

for pct in 10 30 50 70 90; do
  target=$(( records * pct / 100 ))
  java -Xmx256m -jar "$jar" --once --inbox "$work/inbox" --out "$work/out" >> "$work/log" 2>&1 &
  pid=$!
  while [ "$(sim_count)" -lt "$target" ]; do
    kill -0 "$pid" 2>/dev/null || { echo "the loader ended before $pct %:"; tail -20 "$work/log"; exit 1; }
    sleep 0.05
  done
  kill -9 "$pid"; wait "$pid" 2>/dev/null || true
  echo "killed (kill -9) at $pct %: the simulator held $(sim_count) records"
done
code=0
java -Xmx256m -jar "$jar" --once --inbox "$work/inbox" --out "$work/out" >> "$work/log" 2>&1 || code=$?
echo "final run: exit $code"
grep "bench.csv: $records records" "$work/log" | tail -1 | sed 's/^.*\] //; s/| target [^|]*|//'
rows=$(($(wc -l < "$work/out/results/bench.results.csv") - 1))
echo "results rows: $rows, .part files left: $(find "$work/out" -name '*.part' | wc -l)"
exactly_once_report "$records"
