#!/usr/bin/env bash
# Runs the benchmark (bench/README.md) on a fresh machine: installs Node 22
# and the dependencies like the test command, then writes
# bench/results/latest.md and bench/results/latest.json.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/env.sh
source "$REPO_ROOT/scripts/env.sh"
cd "$REPO_ROOT"
ensure_deps
exec yarn workspace @internal/bench bench "$@"
