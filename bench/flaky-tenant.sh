#!/usr/bin/env bash
# Benchmark: a throttled and flaky tenant, at the loader's default settings (graph.max-attempts 5, backoff from 1 s):
# how many records end in the retry file after one run, and whether any is lost or stored twice. Two mixes from the
# issue on attempts a throttled tenant should not use up:
#   A: 300 records, 10 % 429 and 10 % 503 (each with Retry-After: 1), 5 % connections dropped before anything is done
#   B: 3000 records, 3 % of creates stored and their answer lost, 3 % connections dropped, 3 % 503 (Retry-After: 1)
#   bench/flaky-tenant.sh [A|B|both]      default: both
# A 429 (or a 503 with Retry-After) and the lookup before a create is sent again use up no attempt, so every record is
# expected created, once. Prints each run's outcomes, its wall time, and lost / duplicated / stored from the
# simulator's own store. Not part of the test suite (FlakyTenantRouteTest runs mix A).
which=${1:-both}
. "$(dirname "$0")/common.sh"

run_mix() {
  local label=$1 records=$2
  shift 2
  rm -rf "$work/inbox" "$work/out"
  mkdir -p "$work/inbox"
  fresh_simulator "$@"
  make_csv "$records" "$work/inbox/bench.csv"
  echo "$label: $records records; simulator $*"
  out=$work/out run_loader 256m
  grep -E "records: created" "$work/log" | sed 's/^.*\] /  /; s/| target [^|]*|//; s/| input: .*//'
  printf '  exit code %d, wall time %.1f s\n' "$code" "$secs"
  exactly_once_report "$records" | sed 's/^/  /'
}

case "$which" in A|both) run_mix "mix A" 300 --throttle-percent 10 --error-percent 10 --reset-percent 5 \
  --retry-after-seconds 1 ;; esac
case "$which" in B|both) run_mix "mix B" 3000 --lost-answer-percent 3 --reset-percent 3 --error-percent 3 \
  --retry-after-seconds 1 ;; esac
