# shellcheck shell=bash
# Sourced by every script: puts the pinned Deno and Bun on PATH and installs what is missing.
# Deno and Bun come from the npm registry into .toolchain/ (never into the project's node_modules,
# where `deno task` would mistake the ELF binary for JavaScript). The pins live in package.json.
set -euo pipefail
_ENV_DIR="${BASH_SOURCE[0]%/*}"
[ "$_ENV_DIR" != "${BASH_SOURCE[0]}" ] || _ENV_DIR=.
ROOT="$(cd "$_ENV_DIR/.." && pwd)"
TOOLCHAIN="$ROOT/.toolchain"

# Start-up matters (./scripts/netdiag runs before every command from source): the helpers below
# read package.json and deno.json with bash builtins only — no node, no subprocess.

# _read_file FILE: sets _FILE_TEXT to FILE's content (builtin read, no `cat`).
_read_file() { _FILE_TEXT=""; IFS= read -r -d '' _FILE_TEXT <"$1" || true; }

# _pin NAME: prints package.json's toolchain pin for NAME (deno or bun); fails when it is missing.
_pin() {
  _pin_var "$1" && printf '%s' "$_PIN"
}

# _pin_var NAME: sets _PIN to package.json's toolchain pin for NAME without a subshell.
_pin_var() {
  _read_file "$ROOT/package.json"
  local re='"toolchain"[[:space:]]*:[[:space:]]*\{[^}]*"'"$1"'"[[:space:]]*:[[:space:]]*"([^"]+)"'
  if [[ $_FILE_TEXT =~ $re ]]; then _PIN="${BASH_REMATCH[1]}"; return 0; fi
  echo "netdiag: no toolchain pin for $1 in package.json" >&2
  return 3
}

ensure_toolchain() {
  local deno_v bun_v stamp
  _pin_var deno; deno_v="$_PIN"; _pin_var bun; bun_v="$_PIN"
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
# Prints one flag a line (the contract every script relies on: `mapfile -t f < <(deno_run_flags)`).
deno_run_flags() {
  deno_run_flags_var && printf '%s\n' "${DENO_RUN_FLAGS[@]}"
}

# deno_run_flags_var: sets the array DENO_RUN_FLAGS to the same flags without a subshell.
deno_run_flags_var() {
  _read_file "$ROOT/deno.json"
  local re='"netdiag"[[:space:]]*:[[:space:]]*"([^"]*)"' word
  DENO_RUN_FLAGS=()
  if ! [[ $_FILE_TEXT =~ $re ]]; then
    echo "netdiag: no \"netdiag\" task in deno.json" >&2
    return 3
  fi
  local -a words
  read -r -a words <<<"${BASH_REMATCH[1]}"
  for word in "${words[@]}"; do
    [[ $word == -* ]] && DENO_RUN_FLAGS+=("$word")
  done
  return 0
}

# build_bun_floor BENCH NAME DIR: compiles scripts/floor/NAME.mjs as the binary is compiled (a
# benchmark's Bun floor: the least code on the binary's runtime) into DIR/NAME and prints its
# path; when it does not build, says so on stderr, naming BENCH, and returns 1.
build_bun_floor() {
  local out="$3/$2"
  if bun build --compile --minify --no-compile-autoload-dotenv --no-compile-autoload-bunfig \
    "$ROOT/scripts/floor/$2.mjs" --outfile "$out" >"$out.log" 2>&1; then
    echo "$out"
  else
    echo "$1: the Bun floor did not build: skipping its rows ($(head -1 "$out.log"))" >&2
    return 1
  fi
}

# size_bytes TEXT: TEXT (bytes, or a whole number with K, M or G, 1024-based) in bytes on stdout;
# returns 1, printing nothing, when TEXT is not that.
size_bytes() {
  [[ "$1" =~ ^([0-9]+)([KMGkmg]?)$ ]] || return 1
  local n=$((10#${BASH_REMATCH[1]}))
  case "${BASH_REMATCH[2],,}" in
    k) n=$((n << 10)) ;;
    m) n=$((n << 20)) ;;
    g) n=$((n << 30)) ;;
  esac
  echo "$n"
}
