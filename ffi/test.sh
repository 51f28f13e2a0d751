#!/usr/bin/env bash
# Tests of the C library's install step and of the Go package: builds liblucairn (debug),
# installs it into a scratch prefix and links a C program through pkg-config, then runs
# go vet, go test and the Go benchmarks once. Installs Go (Debian's golang-go) when it is
# missing. The Rust and C tests of the library run with `cargo test -p lucairn-ffi`.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2
    return 1
  fi
}

if ! command -v go >/dev/null 2>&1; then
  step "installing Go (golang-go)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go >/dev/null
fi
for tool in gcc pkg-config make; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    step "installing $tool"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" >/dev/null
  fi
done

step "cargo build -p lucairn-ffi"
cargo build -p lucairn-ffi
target_dir=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
scratch="$target_dir/lucairn-ffi-test"
rm -rf "$scratch"
mkdir -p "$scratch"

step "make install into a scratch prefix; link a C program with pkg-config"
make -s install PREFIX="$scratch/prefix" PROFILE=dev
export PKG_CONFIG_PATH="$scratch/prefix/lib/pkgconfig"
test "$(pkg-config --modversion lucairn)" = "$(sed -n 's/^#define LUCAIRN_VERSION "\(.*\)"/\1/p' include/lucairn.h)"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror c-tests/scan.c -o "$scratch/scan-pkgconfig" $(pkg-config --cflags --libs lucairn)
LD_LIBRARY_PATH="$scratch/prefix/lib" "$scratch/scan-pkgconfig"
# shellcheck disable=SC2046
gcc -std=c11 -Wall -Wextra -Werror c-tests/scan.c -o "$scratch/scan-static" \
  $(pkg-config --cflags lucairn) "$scratch/prefix/lib/liblucairn.a" $(pkg-config --libs-only-l --static lucairn | sed 's/-llucairn//')
"$scratch/scan-static"

step "go vet, go test (Go $(go env GOVERSION))"
# Only the static library in the linker path: the test binaries need no library path.
mkdir -p "$scratch/go-lib"
cp "$target_dir/debug/liblucairn.a" "$scratch/go-lib/"
export CGO_ENABLED=1
export CGO_LDFLAGS="-L$scratch/go-lib ${CGO_LDFLAGS:-}"
export GOPROXY=off GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:-}"
export GOCACHE="${GOCACHE:-$target_dir/go-build}"
cd go
go vet ./...
go test -count=1 ./...
go test -count=1 -run '^$' -bench . -benchtime 100x ./...
