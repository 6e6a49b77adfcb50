#!/bin/sh
# Installs a prebuilt dossier from the project's GitHub releases.
#
#   curl -fsSL https://github.com/dossier-kb/dossier/releases/latest/download/install.sh | sh
#   sh install.sh [--version X.Y.Z] [--to DIR] [--target TRIPLE]
#
# Picks the archive for this machine (Linux x86_64/aarch64, static; macOS x86_64/arm64; Windows
# x86_64 under Git Bash/MSYS), downloads it and SHA256SUMS, refuses it unless its checksum
# matches, and installs `dossier` into DIR (default ~/.local/bin) in one rename, so a failed
# install leaves nothing behind and an existing dossier untouched.
#
# DOSSIER_RELEASES_URL replaces https://github.com/dossier-kb/dossier/releases (a mirror, or
# the tests' local server): files are fetched from $URL/latest/download/FILE, or with --version
# from $URL/download/vX.Y.Z/FILE.
set -eu

releases=${DOSSIER_RELEASES_URL:-https://github.com/dossier-kb/dossier/releases}
version=""
to=""
target=""

say() { printf 'install.sh: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

usage() {
  cat <<'EOF'
usage: install.sh [--version X.Y.Z] [--to DIR] [--target TRIPLE]
  --version X.Y.Z   the release to install (default: the latest)
  --to DIR          where to put the binary (default: ~/.local/bin)
  --target TRIPLE   the archive to pick instead of this machine's, e.g. aarch64-apple-darwin
EOF
}

while [ $# -gt 0 ]; do
  case "$1" in
    --version) [ $# -ge 2 ] || die "--version needs a value"; version=$2; shift 2 ;;
    --version=*) version=${1#--version=}; shift ;;
    --to) [ $# -ge 2 ] || die "--to needs a directory"; to=$2; shift 2 ;;
    --to=*) to=${1#--to=}; shift ;;
    --target) [ $# -ge 2 ] || die "--target needs a value"; target=$2; shift 2 ;;
    --target=*) target=${1#--target=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
if [ -z "$to" ]; then
  [ -n "${HOME:-}" ] || die "no install directory: HOME is not set; pass --to DIR"
  to="$HOME/.local/bin"
fi

# The release archive's target triple for this machine.
detect_target() {
  os=$(uname -s)
  arch=$(uname -m)
  case "$arch" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no prebuilt dossier for the $arch architecture; install from source: cargo install dossier-ssg" ;;
  esac
  case "$os" in
    Linux) echo "$arch-unknown-linux-gnu" ;;
    Darwin)
      # An x86_64 shell under Rosetta on Apple silicon: the native binary is the better pick.
      if [ "$arch" = x86_64 ] && [ "$(sysctl -n hw.optional.arm64 2>/dev/null || echo 0)" = 1 ]; then
        arch=aarch64
      fi
      echo "$arch-apple-darwin"
      ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT)
      [ "$arch" = x86_64 ] || die "no prebuilt dossier for Windows on $arch"
      echo "x86_64-pc-windows-msvc"
      ;;
    *) die "no prebuilt dossier for $os; install from source: cargo install dossier-ssg" ;;
  esac
}

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl --proto '=https,http' -fsSL --retry 2 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "neither curl nor wget is installed"
  fi
}

sha256() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    die "neither sha256sum nor shasum is installed: cannot verify the download"
  fi
}

[ -n "$target" ] || target=$(detect_target)
case "$target" in
  *windows*) ext=zip; exe=dossier.exe ;;
  *) ext=tar.gz; exe=dossier ;;
esac
asset="dossier-$target.$ext"
case "$version" in
  "" | latest) base="$releases/latest/download"; shown=latest ;;
  v*) base="$releases/download/$version"; shown=$version ;;
  *) base="$releases/download/v$version"; shown=v$version ;;
esac

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t dossier-install)
staged=""
cleanup() {
  rm -rf "$tmp"
  if [ -n "$staged" ]; then rm -f "$staged"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "downloading $asset ($shown)"
fetch "$base/$asset" "$tmp/$asset" || die "cannot download $base/$asset (is $shown released for $target?)"
fetch "$base/SHA256SUMS" "$tmp/SHA256SUMS" || die "cannot download $base/SHA256SUMS"

expected=$(awk -v f="$asset" '{ n = $2; sub(/^\*/, "", n) } n == f { print $1; exit }' "$tmp/SHA256SUMS")
[ -n "$expected" ] || die "SHA256SUMS has no line for $asset: refusing to install it"
actual=$(sha256 "$tmp/$asset")
if [ "$expected" != "$actual" ]; then
  die "checksum mismatch for $asset: SHA256SUMS says $expected, the download is $actual; nothing was installed"
fi

mkdir "$tmp/x"
case "$ext" in
  zip) (cd "$tmp/x" && unzip -q "../$asset") || die "cannot unpack $asset" ;;
  *) tar -xzf "$tmp/$asset" -C "$tmp/x" || die "cannot unpack $asset" ;;
esac
[ -f "$tmp/x/$exe" ] || die "$asset has no $exe at its top level"

mkdir -p "$to" || die "cannot create $to"
# Copy beside the destination, then rename over it: the old binary stays until the new one is whole.
staged="$to/.$exe.install.$$"
cp "$tmp/x/$exe" "$staged" || die "cannot write into $to"
chmod 755 "$staged"
mv -f "$staged" "$to/$exe" || die "cannot replace $to/$exe"
staged=""

say "installed $to/$exe ($("$to/$exe" --version 2>/dev/null || echo "$target"))"
case ":${PATH:-}:" in
  *":$to:"*) ;;
  *) say "note: $to is not on your PATH; add it, e.g. export PATH=\"$to:\$PATH\"" ;;
esac
