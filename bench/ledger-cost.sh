#!/usr/bin/env bash
# Benchmark: what a large embedded ledger costs on disk, per record written, per lookup and at start-up.
#   bench/ledger-cost.sh [RECORDS]      default: 1000000
#   LEDGER_URL_PARAMS='?cache_size=-65536' bench/ledger-cost.sh    SQLite settings to try instead of the ledger's own
# Prints the figures; not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
[ -d target/test-classes/io/github/raaetl/bench ] || mvn -B -q test-compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -Xmx256m -Dlog4j2.level=WARN -Dbench.url-params="${LEDGER_URL_PARAMS:-}" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.github.raaetl.bench.LedgerBenchmark "$records" "$work" 2>&1 | grep -v "INFO\|^SLF4J"
