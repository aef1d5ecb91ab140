#!/usr/bin/env bash
# Benchmark: records far larger than the heap (a runaway export, a hostile file) through the real jar: one JSON Lines
# line and one CSV cell of SIZE_MB each, between ordinary records, the loader with a small fixed heap.
#   bench/huge-record.sh [SIZE_MB] [HEAP]      defaults: 300 MB records, -Xmx64m
# Prints: outcomes per file, wall time, the loader's peak RSS. Not part of the test suite.
size_mb=${1:-300}
heap=${2:-64m}
. "$(dirname "$0")/common.sh"

ok='{"action":"wipe","deviceDisplayName":"%s","requestDateTime":"2025-01-15T10:00:00Z"}\n'
{ printf "$ok" L-1; printf '{"action":"wipe","deviceDisplayName":"'; head -c "$((size_mb * 1024 * 1024))" /dev/zero | tr '\0' x
  printf '"}\n'; printf "$ok" L-3; } > "$work/inbox/lines.jsonl"
{ printf 'action,deviceDisplayName,requestDateTime\nwipe,C-1,2025-01-15T10:00:00Z\nwipe,"'
  head -c "$((size_mb * 1024 * 1024))" /dev/zero | tr '\0' x
  printf '",2025-01-15T10:00:00Z\nwipe,C-3,2025-01-15T10:00:00Z\n'; } > "$work/inbox/rows.csv"
echo "input: lines.jsonl $(du -h "$work/inbox/lines.jsonl" | cut -f1), rows.csv $(du -h "$work/inbox/rows.csv" | cut -f1)"

run_loader "$heap"
grep -q OutOfMemoryError "$work/log" && { echo "OutOfMemoryError:"; tail -20 "$work/log"; exit 1; }
printf 'loader heap: -Xmx%s, exit code %d (2: the huge records are invalid, as they should be)\n' "$heap" "$code"
for f in lines rows; do
  printf '%s: %s\n' "$f" "$(tail -n +2 "$work/out/results/$f.results.csv" | cut -d, -f1,2 | tr '\n' ' ')"
done
printf 'rejected files (the huge records, byte for byte): %s\n' "$(du -ch "$work"/out/rejected/* | tail -1 | cut -f1)"
printf 'wall time: %.1f s (JVM start and first poll included)\nloader peak RSS: %d MB\n' "$secs" "$rss_mb"
