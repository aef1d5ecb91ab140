#!/usr/bin/env bash
# Benchmark: exactly once when answers are lost. RECORDS records to a simulator that stores LOST % of creates and then
# drops the connection (the answer never comes back) and answers ERRORS % of requests 503; the loader looks each
# ambiguous create up before sending it again. Records that end in the retry file are dropped back in until none is left.
#   bench/ambiguous.sh [RECORDS] [LOST] [ERRORS]      defaults: 10000 records, 2 % lost answers, 5 % 503s
# Prints: outcomes per run, then lost / duplicated / stored, read from the simulator's own store.
records=${1:-10000}
lost=${2:-2}
errors=${3:-5}
. "$(dirname "$0")/common.sh"
start_simulator --lost-answer-percent "$lost" --error-percent "$errors" --retry-after-seconds 0.01
make_csv "$records" "$work/inbox/bench.csv"
echo "input: $records records; the simulator drops the answer of $lost % of creates (after storing them) and answers $errors % of requests 503"

export GRAPH_RETRY_BASE_DELAY_MS=10 GRAPH_TIMEOUT_MS=5000
for round in 1 2 3 4 5; do
  code=0
  java -Xmx256m -jar "$jar" --once --inbox "$work/inbox" --out "$work/out" > "$work/log" 2>&1 || code=$?
  grep -E "records: created" "$work/log" | sed 's/^.*\] /  /; s/| target [^|]*|//; s/| input: .*//'
  # the retry file goes back to the inbox, as an operator would drop it
  ls "$work/out/retries/"*.retry.* >/dev/null 2>&1 || break
  for f in "$work/out/retries/"*.retry.*; do mv "$f" "$work/inbox/round$round-$(basename "$f")"; done
done
echo "last run: exit $code"
exactly_once_report "$records"
