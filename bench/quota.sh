#!/usr/bin/env bash
# Benchmark: the loader against Intune's write quota. The simulator (its own JVM) enforces WRITES per WINDOW per app
# as the service does (a sliding window, 429 TooManyRequests with Retry-After over it), and answers after 150 ms plus
# up to 100 ms of jitter; the loader paces its writes to the same quota (graph.write-quota) at its default settings.
#   bench/quota.sh [RECORDS] [QUOTA] [EXTRA_LOADER_OPTION...]      defaults: 3000 200/20s
# Prints the writes/s from the first write to the last (the loader's summary), against the quota; the share of
# requests answered 429; and lost / duplicated / stored from the simulator's own store. The issue's bounds at
# 200/20s: at least 9.5 writes/s, at most 1 % answered 429, every record stored once.
records=${1:-3000}
quota=${2:-200/20s}
shift 2 2>/dev/null || shift $#
export GRAPH_WRITE_QUOTA=$quota
. "$(dirname "$0")/common.sh"

start_simulator --write-quota "$quota" --latency-ms 150 --jitter-ms 100
make_csv "$records" "$work/inbox/bench.csv"
echo "input: $records records; simulator: write quota $quota, 150 ms + up to 100 ms per request; loader $*"
out=$work/out run_loader 256m "$@"
summary=$(find "$work/out/results" -name 'bench.summary.json')
writes=$(jq -r '.pace.writes' "$summary")
throttled=$(jq -r '.pace.throttled' "$summary")
rate=$(jq -r '.pace.writesPerSecond' "$summary")
quota_rate=$(echo "$quota" | awk -F/ '{ w=$2; sub(/s$/, "", w); printf "%.2f", $1 / w }')
grep -E "records: created" "$work/log" | sed 's/^.*\] /  /; s/| target [^|]*|//; s/| input: .*//'
printf 'exit code %d, wall time %.1f s\n' "$code" "$secs"
printf 'writes/s from the first write to the last: %.2f (the quota: %s writes/s)\n' "$rate" "$quota_rate"
printf 'requests answered 429: %d of %d (%.2f %%)\n' "$throttled" "$writes" "$(echo "100 * $throttled / $writes" | bc -l)"
exactly_once_report "$records"
