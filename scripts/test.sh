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

if ((failed > 0)); then
  log "failed: ${failures[*]}"
fi
echo "${passed} passed, ${failed} failed"
((failed == 0))
