#!/usr/bin/env bash
# Starts the portal on embedded defaults: frontend on :3000, backend on :7007,
# SQLite in memory, guest sign-in, demo entities, a local GitOps repository.
# Usage: scripts/start.sh [extra backstage-cli repo start args]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_deps
cd "$REPO_ROOT"
log "starting the portal: http://localhost:3000 (backend http://localhost:7007)"
exec yarn start "$@"
