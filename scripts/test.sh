#!/usr/bin/env bash
# Installs what is needed, then runs type-checking, lint, prettier and every
# test suite. Ends with one summary line: "N passed, N failed".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_deps
cd "$REPO_ROOT"

export CI=true
# Database tests run on SQLite always, and on the machine's PostgreSQL when it
# answers: Backstage's TestDatabases reads a connection string per major
# version, and would try Docker (not available here) for the others.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
pg="$(postgres_url)"
if [[ -n "$pg" ]]; then
  pg_major="$(psql "$pg/postgres" -tAc 'show server_version_num' | cut -c1-2)"
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${pg_major}_CONNECTION_STRING=$pg"
  # Makes the database tests fail, not skip, if PostgreSQL is not used.
  export GITOPS_TEST_REQUIRE_POSTGRES=1
  log "PostgreSQL $pg_major answers on 127.0.0.1:5432: database tests run on it and on SQLite"
else
  log "PostgreSQL does not answer on 127.0.0.1:5432: database tests run on SQLite only"
fi

passed=0
failed=0
failures=()
step() {
  local name="$1"
  shift
  log "$name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

step "type-check (tsc)" yarn tsc
step "lint" yarn backstage-cli repo lint
step "prettier" yarn prettier --check .
step "unit and integration tests" yarn backstage-cli repo test --ci

# The benchmark stays runnable: a small run of scripts/bench.sh's runner (all
# three backends, every measure), failing on any wrong answer. Its numbers
# are thrown away; bench/results holds the real run's.
bench_smoke() {
  local out
  out="$(mktemp -d)"
  # The huge phase at a tiny size: 3 fake instances of 30 services each (the
  # first holds the catalog's 30), ours restarted on its database.
  BENCH_RESULTS_DIR="$out" BENCH_SERVICES=30 BENCH_LARGE_SERVICES=60 \
    BENCH_HUGE_SERVICES=90 BENCH_HUGE_INSTANCES=3 \
    BENCH_ENTITY_REQUESTS=20 BENCH_TEAM_SIZE=10 BENCH_TEAM_REPEATS=2 \
    BENCH_ACTION_RUNS=1 BENCH_WARMUP_MS=0 \
    yarn workspace @internal/bench bench >"$out/run.log" 2>&1 ||
    { tail -n 40 "$out/run.log"; tail -n 20 "$out"/logs/*.log; return 1; }
  grep -a '^\[bench' "$out/run.log"
}
step "benchmark smoke run" bench_smoke

# End-to-end: the real portal in Debian's Chromium (Playwright cannot
# download browsers here). Installed when missing; a browser that cannot
# start fails the suite rather than skipping it.
ensure_chromium() {
  command -v chromium >/dev/null 2>&1 && return
  log "installing Debian's chromium for the end-to-end suite"
  local sudo=""
  [[ "$(id -u)" == 0 ]] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
}
e2e() {
  ensure_chromium && yarn playwright test --config e2e/playwright.config.ts
}
step "end-to-end (Playwright, Chromium)" e2e

if ((failed > 0)); then
  log "failed: ${failures[*]}"
fi
echo "${passed} passed, ${failed} failed"
((failed == 0))
