#!/usr/bin/env bash
# Benchmark: memory stays bounded whatever the file's size, with requests in flight. The loader at its defaults with
# graph.batch-size=20 (write budget off: the simulator enforces no quota), under a fixed heap, on SMALL and on LARGE
# records, as a CSV and as one JSON array (a Graph collection export), each against a fresh simulator in its own JVM.
# Prints each run's peak RSS and records/s, and the RSS at LARGE over the RSS at SMALL for each format.
#   bench/memory.sh [SMALL] [LARGE] [HEAP]      defaults: 10000 1000000 256m
# The issue's bound: both complete, and the peak RSS at 1,000,000 is at most 1.5 times the peak RSS at 10,000.
small=${1:-10000}
large=${2:-1000000}
heap=${3:-256m}
. "$(dirname "$0")/common.sh"

# make_json N FILE: N distinct device actions as a Graph collection export (one JSON array under "value")
make_json() {
  awk -v n="$1" 'BEGIN {
    printf "{\"@odata.context\":\"https://graph.microsoft.com/beta/$metadata#deviceManagement/remoteActionAudits\",\"value\":[";
    split("factoryReset,removeCompanyData,remoteLock,rotateBitLockerKeys,locateDevice,rebootNow,quickScan", a, ",");
    for (i = 1; i <= n; i++) {
      printf "%s{\"deviceDisplayName\":\"PC-%07d\",\"action\":\"%s\",\"actionState\":\"done\",\"initiatedByUserPrincipalName\":\"helpdesk@contoso.com\",\"requestDateTime\":\"2025-01-15T10:%02d:%02dZ\",\"managedDeviceId\":\"%08d-0000-4000-8000-000000000000\"}",
        (i > 1 ? "," : ""), i, a[(i % 7) + 1], (i / 60) % 60, i % 60, i
    }
    print "]}"
  }' > "$2"
}

run_file() {
  local label=$1 file=$2
  rm -rf "$work/inbox" "$work/out"
  mkdir -p "$work/inbox"
  mv "$file" "$work/inbox/"
  fresh_simulator
  out=$work/out run_loader "$heap" -Dgraph.batch-size=20
  rate=$(loader_rate)
  printf '%-22s peak RSS %4d MB  %9.1f records/s  (wall time %.1f s, exit code %d)\n' "$label" "$rss_mb" "$rate" "$secs" \
    "$code"
  grep -E "records: created" "$work/log" | sed 's/^.*\] /  /; s/| target [^|]*|//; s/| input: .*//'
}

echo "heap $heap; graph.batch-size=20; zero latency"
for fmt in csv json; do
  for n in "$small" "$large"; do
    if [ "$fmt" = csv ]; then make_csv "$n" "$work/bench.csv"; f=$work/bench.csv; else make_json "$n" "$work/bench.json"; f=$work/bench.json; fi
    run_file "$fmt, $n records" "$f"
    eval "rss_${fmt}_${n}=$rss_mb"
  done
  eval "a=\$rss_${fmt}_${small} b=\$rss_${fmt}_${large}"
  printf '%s: peak RSS at %d / at %d: %.2f\n' "$fmt" "$large" "$small" "$(echo "$b / $a" | bc -l)"
done
