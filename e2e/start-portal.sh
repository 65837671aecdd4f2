#!/usr/bin/env bash
# The portal as the end-to-end suite runs it: embedded defaults, a fresh local
# GitOps repository, and Argo CD at 127.0.0.1:7010 (the suite's own fake).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/env.sh"
cd "$REPO_ROOT"
export APP_CONFIG_gitops_repository_localPath="$E2E_GITOPS_REPO"
export APP_CONFIG_gitops_argocd_pollInterval='{"seconds":2}'
exec yarn start --config "$REPO_ROOT/app-config.yaml" --config "$REPO_ROOT/app-config.dev-argocd.yaml"
