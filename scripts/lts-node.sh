#!/usr/bin/env bash
# Installs the Node that the production image runs (the Dockerfile's NODE_VERSION) from the npm
# registry's node-linux-<arch> package, once, into a cache directory, and prints its bin directory:
#   PATH="$(scripts/lts-node.sh):$PATH" npm test
# The registry is the only place this machine and CI can fetch Node from; the package holds the
# official binary.
set -euo pipefail
cd "$(dirname "$0")/.."

version="$(sed -n 's/^ARG NODE_VERSION=\([0-9.]*\)$/\1/p' Dockerfile)"
[ -n "$version" ] || { echo "lts-node.sh: no 'ARG NODE_VERSION=' in the Dockerfile" >&2; exit 1; }
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) echo "lts-node.sh: no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac
dir="${COVERA_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/covera}/node-$version-linux-$arch"
bin="$dir/node_modules/node-linux-$arch/bin"
if [ ! -x "$bin/node" ] || [ "$("$bin/node" --version)" != "v$version" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-$arch@$version" >&2
fi
[ "$("$bin/node" --version)" = "v$version" ] || { echo "lts-node.sh: $bin/node is not v$version" >&2; exit 1; }
echo "$bin"
