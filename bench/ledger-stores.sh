#!/usr/bin/env bash
# Design experiment (not the product): what the record ledger's write pattern costs on SQLite, as the ledger is, on
# SQLite with keys that rise (the cost without the random index writes; not a ledger), and on RocksDB, a
# log-structured store. See bench/ledger-stores/LedgerStores.java for the pattern. Prints each one's CPU per record.
# It is what led the embedded ledger to keep its records in RocksDB (etl.ledger.record-store, ARCHITECTURE.md).
#   bench/ledger-stores.sh [RECORDS]      default: 1000000
# Needs Maven (it fetches sqlite-jdbc and rocksdbjni, the versions the pom uses, into ~/.m2).
set -euo pipefail
cd "$(dirname "$0")/.."
records=${1:-1000000}
sqlite_version=$(mvn -B -q help:evaluate -Dexpression=sqlite.version -DforceStdout 2>/dev/null || true)
[[ "$sqlite_version" =~ ^[0-9.]+$ ]] || sqlite_version=3.54.1.0
rocksdb_version=$(mvn -B -q help:evaluate -Dexpression=rocksdb.version -DforceStdout 2>/dev/null || true)
[[ "$rocksdb_version" =~ ^[0-9.]+$ ]] || rocksdb_version=10.10.1.1
m2=${HOME}/.m2/repository
mvn -B -q dependency:get -Dartifact="org.xerial:sqlite-jdbc:$sqlite_version" >/dev/null
mvn -B -q dependency:get -Dartifact="org.rocksdb:rocksdbjni:$rocksdb_version:jar:linux64" >/dev/null
cp="$m2/org/xerial/sqlite-jdbc/$sqlite_version/sqlite-jdbc-$sqlite_version.jar"
cp="$cp:$m2/org/rocksdb/rocksdbjni/$rocksdb_version/rocksdbjni-$rocksdb_version-linux64.jar"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -d "$work/classes" -cp "$cp" bench/ledger-stores/LedgerStores.java
for store in sqlite sqlite-rising rocksdb; do
  mkdir -p "$work/$store"
  java -Xmx256m -cp "$work/classes:$cp" LedgerStores "$store" "$records" "$work/$store" 2>&1 | grep -v '^SLF4J'
  printf '  on disk: %s\n' "$(du -sh "$work/$store" | cut -f1)"
  rm -rf "${work:?}/$store"
done
