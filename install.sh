#!/bin/sh
# netdiag installer: picks the netdiag executable for this system (OS and CPU from uname; the
# musl build where there is no glibc, e.g. Alpine), downloads it from the release page, checks
# it against the release's SHA256SUMS and installs it into ~/.local/bin. Needs no root. Refuses
# (exit 1, nothing installed) when the checksum does not match or SHA256SUMS has no line for it.
#
#   curl -fsSL https://github.com/netdiag/netdiag/releases/latest/download/install.sh | sh
#   wget -qO- https://github.com/netdiag/netdiag/releases/latest/download/install.sh | sh
#
# Environment (all optional):
#   NETDIAG_BASE_URL     where the archives and SHA256SUMS are; default: the latest release,
#                        https://github.com/netdiag/netdiag/releases/latest/download (a placeholder
#                        for the project's release page), or with NETDIAG_VERSION that version's
#   NETDIAG_VERSION      install this version (e.g. 0.2.0) instead of the latest
#   NETDIAG_INSTALL_DIR  where to put netdiag; default ~/.local/bin
#   NETDIAG_TARGET       skip detection: linux-x64, linux-x64-musl, linux-arm64, linux-arm64-musl,
#                        darwin-x64, darwin-arm64
# Needs a POSIX sh, uname, curl or wget, tar with gzip, sha256sum or shasum (or openssl), awk, grep.
set -eu

RELEASES="https://github.com/netdiag/netdiag/releases"

say() { printf 'netdiag installer: %s\n' "$*" >&2; }
die() {
  printf 'netdiag installer: error: %s\n' "$*" >&2
  exit 1
}

# 0 when the C library is glibc: getconf knows it, or ldd says so; musl's ldd and loader say musl.
has_glibc() {
  if command -v getconf >/dev/null 2>&1 && getconf GNU_LIBC_VERSION >/dev/null 2>&1; then
    return 0
  fi
  ldd_version=$(ldd --version 2>&1 || true)
  case "$ldd_version" in
    *musl*) return 1 ;;
    *GLIBC* | *"GNU libc"* | *"GNU C Library"*) return 0 ;;
  esac
  for loader in /lib/ld-musl-*.so.1; do
    if [ -e "$loader" ]; then return 1; fi
  done
  return 0
}

detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$os" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      die "on Windows, download netdiag-VERSION-windows-x64.zip from $RELEASES, check it against SHA256SUMS and unpack it; this script installs on Linux and macOS"
      ;;
    *) die "there is no netdiag build for $os (builds: Linux and macOS on x86-64 and arm64, Windows on x86-64)" ;;
  esac
  case "$arch" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64 | armv8*) arch=arm64 ;;
    *) die "there is no netdiag build for the CPU $arch (builds: x86-64 and arm64)" ;;
  esac
  # A shell under Rosetta 2 reports x86_64 on an Apple silicon Mac: take the native build.
  if [ "$os" = darwin ] && [ "$arch" = x64 ] &&
    [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
    arch=arm64
  fi
  libc=""
  if [ "$os" = linux ] && ! has_glibc; then libc=-musl; fi
  echo "$os-$arch$libc"
}

download() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "needs curl or wget to download netdiag"
  fi
}

sha256_of() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sum=$(sha256sum "$1")
  elif command -v shasum >/dev/null 2>&1; then
    sum=$(shasum -a 256 "$1")
  elif command -v openssl >/dev/null 2>&1; then
    sum=$(openssl dgst -sha256 -r "$1")
  else
    die "needs sha256sum, shasum or openssl to verify the download"
  fi
  echo "${sum%% *}"
}

# The archive's name in SHA256SUMS: `netdiag-VERSION-TARGET.tar.gz` (the first such line).
archive_in_sums() { # SUMS TARGET
  awk -v suffix="-$2.tar.gz" '{
    name = $2; sub(/^\*/, "", name)
    if (substr(name, 1, 8) == "netdiag-" && substr(name, 9, 1) ~ /[0-9]/ &&
        length(name) > length(suffix) + 8 &&
        substr(name, length(name) - length(suffix) + 1) == suffix) { print name; exit }
  }' "$1"
}

# The checksum SHA256SUMS gives for NAME, or nothing.
sum_in_sums() { # SUMS NAME
  awk -v want="$2" '{ name = $2; sub(/^\*/, "", name); if (name == want) { print $1; exit } }' "$1"
}

target=${NETDIAG_TARGET:-}
if [ -z "$target" ]; then target=$(detect_target) || exit 1; fi
version=${NETDIAG_VERSION:-}
version=${version#v}
if [ -n "${NETDIAG_BASE_URL:-}" ]; then
  base=${NETDIAG_BASE_URL%/}
elif [ -n "$version" ]; then
  base="$RELEASES/download/v$version"
else
  base="$RELEASES/latest/download"
fi
if [ -n "${NETDIAG_INSTALL_DIR:-}" ]; then
  dir=$NETDIAG_INSTALL_DIR
else
  [ -n "${HOME:-}" ] || die "HOME is not set: set NETDIAG_INSTALL_DIR"
  dir="$HOME/.local/bin"
fi
say "target $target, from $base"

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t netdiag)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

download "$base/SHA256SUMS" "$tmp/SHA256SUMS" || die "could not download $base/SHA256SUMS"
if [ -n "$version" ]; then
  name="netdiag-$version-$target.tar.gz"
else
  name=$(archive_in_sums "$tmp/SHA256SUMS" "$target")
  [ -n "$name" ] ||
    die "SHA256SUMS at $base has no line for a $target archive: refusing to install (no netdiag build for this system in that release?)"
fi
case "$name" in
  *[!A-Za-z0-9._+-]*) die "unexpected archive name \"$name\": refusing to install" ;;
esac
expected=$(sum_in_sums "$tmp/SHA256SUMS" "$name")
[ -n "$expected" ] || die "SHA256SUMS at $base has no line for $name: refusing to install"

say "downloading $name"
download "$base/$name" "$tmp/$name" || die "could not download $base/$name"
actual=$(sha256_of "$tmp/$name")
if [ "$actual" != "$expected" ]; then
  die "checksum mismatch for $name: SHA256SUMS says $expected, the download is $actual. It is corrupt or was tampered with; nothing was installed."
fi
say "checksum OK ($actual)"

mkdir "$tmp/unpacked"
tar -xzf "$tmp/$name" -C "$tmp/unpacked" || die "could not unpack $name"
binary="$tmp/unpacked/${name%.tar.gz}/netdiag"
[ -f "$binary" ] || die "$name holds no ${name%.tar.gz}/netdiag: refusing to install"
chmod 755 "$binary"
if ! about=$("$binary" --version 2>&1); then
  hint=""
  case "$target" in *-musl) hint=" (on Alpine it needs: apk add libstdc++ libgcc)" ;; esac
  case "$target" in
    linux-x64*)
      if [ -r /proc/cpuinfo ] && ! grep -q avx2 /proc/cpuinfo; then
        hint=" (this CPU lacks AVX2, which Bun's x64 runtime needs: build from source instead)"
      fi
      ;;
  esac
  die "the downloaded netdiag does not run on this system$hint: $about"
fi

mkdir -p "$dir" || die "could not create $dir"
# Copy under a temporary name, then rename: a netdiag already there is replaced in one step.
if ! { cp "$binary" "$dir/.netdiag.$$" && mv -f "$dir/.netdiag.$$" "$dir/netdiag"; }; then
  rm -f "$dir/.netdiag.$$"
  die "could not install into $dir"
fi
echo "installed $about as $dir/netdiag"
case ":$PATH:" in
  *":$dir:"*) echo "run: netdiag --help" ;;
  *)
    shown=$dir
    case "$dir" in "${HOME:-/nonexistent}"/*) shown="\$HOME${dir#"$HOME"}" ;; esac
    echo "$dir is not on your PATH; add it in ~/.profile (or ~/.bashrc, ~/.zshrc):"
    echo "  export PATH=\"$shown:\$PATH\""
    ;;
esac
