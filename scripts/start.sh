#!/usr/bin/env bash
# Starts the portal on embedded defaults: frontend on :3000, backend on :7007,
# SQLite in memory, guest sign-in, demo entities, a local GitOps repository.
#
# Unless GITOPS_DEV_FAKE_ARGOCD=0, it also seeds the demo components into the
# local GitOps repository and runs a fake Argo CD on 127.0.0.1:7010 (a dev
# fixture, packages/fake-argocd) so the GitOps views have live state to show.
#
# Usage: scripts/start.sh [extra backstage-cli repo start args]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_deps
cd "$REPO_ROOT"

configs=(--config "$REPO_ROOT/app-config.yaml")
if [[ "${GITOPS_DEV_FAKE_ARGOCD:-1}" != "0" ]]; then
  node --require @backstage/cli/config/nodeTransform.cjs scripts/dev/seed-gitops-repo.ts .gitops-repo
  FAKE_ARGOCD_TOKEN="$(node -e 'console.log(require("crypto").randomBytes(24).toString("hex"))')"
  export FAKE_ARGOCD_TOKEN
  node --require @backstage/cli/config/nodeTransform.cjs packages/fake-argocd/src/cli.ts \
    --repo .gitops-repo --port 7010 --scenario examples/dev/fake-argocd-scenario.yaml &
  fake_pid=$!
  trap 'kill "$fake_pid" 2>/dev/null || true' EXIT
  configs+=(--config "$REPO_ROOT/app-config.dev-argocd.yaml")
fi

log "starting the portal: http://localhost:3000 (backend http://localhost:7007)"
yarn start "${configs[@]}" "$@"
