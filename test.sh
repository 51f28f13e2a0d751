#!/usr/bin/env bash
# Runs every test suite of Lucairn on a fresh clone: formatting, lints, the Rust
# workspace (unit, integration and doc tests; benchmarks compiled and run once).
# Installs what it needs and is missing.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
for c in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c"
done

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --workspace -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test --workspace"
cargo test --workspace --all-targets
cargo test --workspace --doc

step "fuzz targets: regression inputs, then 20 s each from the seed corpora"
./fuzz/run.sh 20

step "C library install and the Go package"
./ffi/test.sh

step "the gateway with the official openai Python and npm clients, and curl"
./gateway/tests/clients/run.sh

step "Python package: pip install ./python, pytest, typing and stub checks"
./python/test.sh

echo
echo "all test suites passed"
