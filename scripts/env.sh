# shellcheck shell=bash
# Sourced by every script: puts the pinned Deno and Bun on PATH and installs what is missing.
# Deno and Bun come from the npm registry into .toolchain/ (never into the project's node_modules,
# where `deno task` would mistake the ELF binary for JavaScript). The pins live in package.json.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN="$ROOT/.toolchain"

_pin() { node -e 'process.stdout.write(require(process.argv[1]).toolchain[process.argv[2]])' "$ROOT/package.json" "$1"; }

ensure_toolchain() {
  local deno_v bun_v stamp
  deno_v="$(_pin deno)"; bun_v="$(_pin bun)"
  stamp="$TOOLCHAIN/.installed-deno-$deno_v-bun-$bun_v"
  if [ ! -f "$stamp" ]; then
    echo "netdiag: installing deno $deno_v and bun $bun_v into .toolchain/ (first run only)" >&2
    mkdir -p "$TOOLCHAIN"
    [ -f "$TOOLCHAIN/package.json" ] || echo '{"private":true}' >"$TOOLCHAIN/package.json"
    (cd "$TOOLCHAIN" && npm install --no-audit --no-fund --loglevel=error --save-exact \
      "deno@$deno_v" "bun@$bun_v" >/dev/null)
    rm -f "$TOOLCHAIN"/.installed-*
    touch "$stamp"
  fi
  export PATH="$TOOLCHAIN/node_modules/.bin:$PATH"
  export DENO_NO_UPDATE_CHECK=1
}

ensure_deps() {
  local stamp="$ROOT/node_modules/.netdiag-deps"
  if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ]; then
    echo "netdiag: installing npm dependencies (first run only)" >&2
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    touch "$stamp"
  fi
}

# The permission allow-list netdiag runs with under Deno (never -A) is deno.json's "netdiag" task;
# this reads its flags from there so that there is one list (tests/support/cli.ts reads it too).
deno_run_flags() {
  node -e '
    const t = require(process.argv[1]).tasks.netdiag.split(/\s+/);
    console.log(t.filter((w) => w.startsWith("-")).join("\n"));' "$ROOT/deno.json"
}
