# Shared by the benchmarks (sourced, not run): the jar, a work folder removed on exit, the simulator in a JVM of its
# own, and a loader run timed with its peak RSS.

set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/remote-action-audit-etl.jar ] || mvn -B -q package -DskipTests
work=$(mktemp -d)
# a copy, so that a build meanwhile (mvn verify) cannot change the jar under a running benchmark
cp target/remote-action-audit-etl.jar "$work/loader.jar"
jar=$work/loader.jar
sim_pid=
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/inbox"
# what a benchmark measures is the loader's own pace: the simulator enforces no write quota unless it is told to
# (bench/quota.sh), so the loader does not pace its writes either unless GRAPH_WRITE_QUOTA says so
export GRAPH_WRITE_QUOTA=${GRAPH_WRITE_QUOTA:-off}

# start_simulator [ARGS...]: the simulator in its own JVM; exports the GRAPH_* variables that point the loader at it
start_simulator() {
  java -cp "$jar" io.github.raaetl.simulator.GraphSimulator "$@" > "$work/sim.env" 2>"$work/sim.log" &
  sim_pid=$!
  for _ in $(seq 1 100); do grep -q GRAPH_CLIENT_SECRET "$work/sim.env" 2>/dev/null && break; sleep 0.1; done
  set -a; . "$work/sim.env"; set +a
}

# fresh_simulator [ARGS...]: stops the simulator started before, if any, and starts a new one with an empty store (a
# store already holding an earlier run's records slows the next run down)
fresh_simulator() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null || true
  start_simulator "$@"
}

# loader_rate: the records/s of the last loader run, from its own summary line (not a progress line before it)
loader_rate() {
  grep -E 'records: created' "$work/log" | tail -1 | grep -oE '[0-9.]+ records/s' | head -1 | cut -d' ' -f1
}

# sim_cpu: the CPU seconds (user and kernel) the simulator has used since it started
sim_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "/proc/$sim_pid/stat"
}

# run_loader HEAP [JVM-OPTION...]: the jar with --once on $work/inbox, output in ${out:-$work/out}; sets code, secs
# (wall time), rss_mb (peak RSS) and cpu_secs (user and kernel CPU). Options such as -Detl.ledger.enabled=false go
# before -jar.
run_loader() {
  local start end heap=$1
  shift
  start=$(date +%s.%N)
  code=0
  /usr/bin/time -f "%M %U %S" -o "$work/rss" java -Xmx"$heap" "$@" -jar "$jar" --once --keep-input \
    --inbox "$work/inbox" --out "${out:-$work/out}" > "$work/log" 2>&1 || code=$?
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc -l)
  read -r rss_kb user_secs sys_secs < <(tail -1 "$work/rss")
  rss_mb=$(( rss_kb / 1024 ))
  cpu_secs=$(echo "$user_secs + $sys_secs" | bc -l)
}

# sim_get PATH: a GET on the simulator's Graph with a token of its own (PATH after /beta, or a full nextLink URL)
sim_get() {
  [ -n "${sim_token:-}" ] || sim_token=$(curl -s -d "grant_type=client_credentials&client_id=$GRAPH_CLIENT_ID" \
    --data-urlencode "client_secret=$GRAPH_CLIENT_SECRET" -d "scope=${GRAPH_BASE_URL%/beta}/.default" \
    "$GRAPH_LOGIN_URL/$GRAPH_TENANT_ID/oauth2/v2.0/token" | jq -r .access_token)
  case "$1" in http*) url=$1 ;; *) url=$GRAPH_BASE_URL$1 ;; esac
  curl -s -H "Authorization: Bearer $sim_token" "$url"
}

# sim_count: how many remoteActionAudits the simulator holds
sim_count() {
  local n
  for _ in $(seq 1 50); do
    n=$(sim_get /deviceManagement/remoteActionAudits/\$count)
    [[ "$n" =~ ^[0-9]+$ ]] && { echo "$n"; return; }
  done
  echo 0
}

# sim_names: every stored record's deviceDisplayName, one per line (the whole collection, page by page)
sim_names() {
  local next=/deviceManagement/remoteActionAudits?\$top=1000 page
  while [ -n "$next" ]; do
    # the simulator may be injecting 503s: a page is asked again until it comes (at most 50 times)
    for _ in $(seq 1 50); do
      page=$(sim_get "$next")
      echo "$page" | jq -e '.value' >/dev/null 2>&1 && break
    done
    echo "$page" | jq -r '.value[].deviceDisplayName'
    next=$(echo "$page" | jq -r '."@odata.nextLink" // empty')
  done
}

# make_csv N FILE: N distinct device actions as an admin-center style CSV
make_csv() {
  awk -v n="$1" 'BEGIN {
    print "Device name,Action,Status,Initiated by,Date/time,Device ID,Category,Details";
    split("Wipe,Retire,Remote lock,Rotate BitLocker keys,Locate device,Restart,Quick scan", a, ",");
    for (i = 1; i <= n; i++) {
      printf "PC-%07d,%s,Done,helpdesk@contoso.com,2025-01-15T10:%02d:%02dZ,%08d-0000-4000-8000-000000000000,Single device,\"ticket=INC%d;note=bench\"\n",
        i, a[(i % 7) + 1], (i / 60) % 60, i % 60, i, i
    }
  }' > "$2"
}

# exactly_once_report EXPECTED: lost, duplicated and stored, from the simulator's own store
exactly_once_report() {
  local names distinct stored
  names=$(sim_names)
  stored=$(echo "$names" | grep -c . || true)
  distinct=$(echo "$names" | sort -u | grep -c . || true)
  printf 'records in input: %d\nlost: %d\nduplicated: %d\nstored in the simulator: %d\n' \
    "$1" "$(( $1 - distinct ))" "$(( stored - distinct ))" "$stored"
}
