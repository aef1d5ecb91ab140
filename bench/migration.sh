#!/usr/bin/env bash
# Benchmark: a tenant-to-tenant migration rehearsed from one command. A source simulator holding N records (several
# pages) is exported with --export; the file is imported into a target simulator that enforces a scaled write quota
# (200 writes per 2 s, so the rehearsal fits in minutes; the loader paces to it), during which the loader is killed
# with kill -9 five times at random points and restarted, the target stops answering for 60 s once (its JVM frozen
# with SIGSTOP), and the export file is dropped into the inbox a second time; then --compare proves the target.
#   bench/migration.sh [N]      default 20000
# Prints missing/duplicated/extra (the bound: 0/0/0), writes/s against the scaled quota (the bound: at least 0.95 of
# it), the total time against the floor (N / quota), the restarts, and where the reports are.
n=${1:-20000}
quota=200/2s
export GRAPH_WRITE_QUOTA=$quota
. "$(dirname "$0")/common.sh"

tgt_pid=
src_pid=
trap 'kill $src_pid $tgt_pid 2>/dev/null; kill -CONT $tgt_pid 2>/dev/null; rm -rf "$work"' EXIT

# sim NAME ARGS...: a simulator in its own JVM; its GRAPH_* variables in $work/NAME.env
sim() {
  local name=$1
  shift
  java -cp "$jar" io.github.raaetl.simulator.GraphSimulator "$@" > "$work/$name.out" 2>"$work/$name.log" &
  echo $!
}
src_pid=$(sim source --seed-records "$n")
tgt_pid=$(sim target --write-quota "$quota")
for name in source target; do
  for _ in $(seq 1 300); do grep -q GRAPH_CLIENT_SECRET "$work/$name.out" 2>/dev/null && break; sleep 0.1; done
  grep '^GRAPH_' "$work/$name.out" > "$work/$name.env"
done

# loader ENV ARGS...: the jar against the simulator of ENV (source or target), output appended to $work/loader.log
loader() {
  local env=$1
  shift
  (set -a; . "$work/$env.env"; set +a; exec java -Xmx512m -jar "$jar" "$@") >> "$work/loader.log" 2>&1
}

echo "migration of $n records; target quota $quota (floor $(( n / 100 )) s at 100 writes/s)"

# 1. export the source
t0=$(date +%s.%N)
loader source --export "$work/export/tenant.json" --out "$work/out-source" || { echo "export failed"; tail "$work/loader.log"; exit 1; }
t1=$(date +%s.%N)
exported=$(jq '.value | length' "$work/export/tenant.json")
printf 'export: %d records in %.1f s\n' "$exported" "$(echo "$t1 - $t0" | bc -l)"

# 2. import into the target, killed five times, with one 60 s outage of the target, the file dropped twice
mkdir -p "$work/inbox"
cp "$work/export/tenant.json" "$work/inbox/tenant.json"
restarts=0
import_start=$(date +%s.%N)
for k in 1 2 3 4 5; do
  loader target --once --inbox "$work/inbox" --out "$work/out" &
  pid=$!
  if [ "$k" -eq 3 ]; then
    sleep 8
    kill -STOP "$tgt_pid"
    echo "  run $k: the target stops answering for 60 s"
    sleep 60
    kill -CONT "$tgt_pid"
    sleep 5
  else
    sleep $(( 8 + RANDOM % 20 ))
  fi
  # the java process itself, not the subshell
  jpid=$(pgrep -P "$pid" java || echo "$pid")
  kill -9 "$jpid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  restarts=$(( restarts + 1 ))
  echo "  run $k killed with kill -9 (target holds $(GRAPH_BASE_URL= ; set -a; . "$work/target.env"; set +a; sim_count) records)"
done
loader target --once --inbox "$work/inbox" --out "$work/out" || true
import_end=$(date +%s.%N)
final_pace=$(jq -r '.pace.writesPerSecond' "$work/out/results/tenant.summary.json")
final_throttled=$(jq -r '.pace.throttled' "$work/out/results/tenant.summary.json")
cp "$work/export/tenant.json" "$work/inbox/tenant-again.json"
loader target --once --inbox "$work/inbox" --out "$work/out" || true
again=$(jq -c .counts "$work/out/results/tenant-again.summary.json")
echo "  the file dropped a second time: $again"
t2=$(date +%s.%N)

# 3. compare
set +e
(set -a; . "$work/target.env"; set +a; java -jar "$jar" --compare "$work/export/tenant.json" --out "$work/out") > "$work/compare.log" 2>&1
compare_code=$?
set -e
line=$(grep -o 'Compared .*' "$work/compare.log")
missing=$(echo "$line" | grep -oE 'missing [0-9]+' | cut -d' ' -f2)
duplicated=$(echo "$line" | grep -oE 'duplicated [0-9]+' | cut -d' ' -f2)
extra=$(echo "$line" | grep -oE 'extra [0-9]+' | cut -d' ' -f2)

import_secs=$(echo "$import_end - $import_start" | bc -l)
writing_secs=$(echo "$import_secs - 60" | bc -l)
printf 'missing/duplicated/extra: %s/%s/%s (compare exit code %d)\n' "$missing" "$duplicated" "$extra" "$compare_code"
echo "  $line"
printf 'import: %.1f s for %d records = %.1f writes/s (%.2f of the quota); without the 60 s outage: %.1f writes/s (%.2f of the quota)\n' \
  "$import_secs" "$n" "$(echo "$n / $import_secs" | bc -l)" "$(echo "$n / $import_secs / 100" | bc -l)" \
  "$(echo "$n / $writing_secs" | bc -l)" "$(echo "$n / $writing_secs / 100" | bc -l)"
printf 'the last run (after the fifth kill), from its first write to its last: %.1f writes/s (%.2f of the quota), %s answered 429\n' \
  "$final_pace" "$(echo "$final_pace / 100" | bc -l)" "$final_throttled"
printf 'total time (export, import, second drop, compare): %.1f s; floor %d s (N / quota); restarts: %d kill -9\n' \
  "$(echo "$t2 - $t0 + 0" | bc -l)" "$(( n / 100 ))" "$restarts"
keep=${KEEP_REPORTS:-/tmp/migration-reports}
rm -rf "$keep"
mkdir -p "$keep"
cp "$work"/out/reports/*.html "$work"/out/compare/*.html "$keep"/ 2>/dev/null || true
echo "reports (copied out of the work folder): $keep"
ls "$keep"
