#!/usr/bin/env bash
# Benchmark: the ledger's database going away mid-file, as an operator would try it. One loader on a PostgreSQL ledger
# (a real server started here, as the tests do) loads RECORDS records; once AT are stored the database is stopped
# (pg_ctl -m immediate) for DOWN seconds, then started again.
#   bench/ledger-outage.sh [RECORDS] [AT] [DOWN] [GIVE_UP_MS]      defaults: 3000 640 15 120000
# With the default give-up time the file completes in the same run; with GIVE_UP_MS below DOWN (e.g. 5000) it stops,
# stays in the inbox, and a second run completes it. Prints each run's ledger lines, exit code and wall time, and
# lost / duplicated / stored from the simulator's own store. Needs PostgreSQL's server binaries (initdb, pg_ctl).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d target/test-classes/io/github/raaetl/bench ] && [ -f target/remote-action-audit-etl.jar ] || mvn -B -q package -DskipTests
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
java -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.github.raaetl.bench.LedgerOutageBenchmark "${1:-3000}" "${2:-640}" "${3:-15}" "${4:-120000}" 2>&1 | grep -v "^SLF4J"
