#!/usr/bin/env bash
# Builds every fuzz target once, replays the committed regression inputs, then runs each
# target for a bounded time on a copy of its seed corpus. Fails when a target crashes
# (the input is saved under fuzz/artifacts/<target>/ and its path printed).
#
#   fuzz/run.sh [seconds per target, default 30] [target ...]
#
# Installs what it needs and is missing: a C++ compiler (libFuzzer is built from source)
# and cargo-fuzz. Runs on the stable toolchain: RUSTC_BOOTSTRAP=1 unlocks the sanitizer
# flags cargo-fuzz passes.
# The body is one block, so bash reads all of it before running: editing this file
# during a run cannot change the run.
{
set -euo pipefail
cd "$(dirname "$0")"

secs=${1:-30}
shift || true
export RUSTC_BOOTSTRAP=1
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v c++ >/dev/null 2>&1 || ! command -v cc >/dev/null 2>&1; then
  echo "==> installing a C++ compiler (g++)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq g++ >/dev/null
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "==> installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One build of every target. Debug assertions on: arithmetic overflow is a crash too.
echo "==> building the fuzz targets"
if ! cargo fuzz build --debug-assertions >"$work/build.log" 2>&1; then
  tail -n 60 "$work/build.log"
  echo "fuzz build failed"
  exit 1
fi
bin=target/x86_64-unknown-linux-gnu/release

dict_for() {
  case "$1" in
    scan | sanitize_relink | stream) echo "dict/text.dict" ;;
    *) echo "dict/json.dict" ;;
  esac
}

failed=()
summary=()
for t in "${targets[@]}"; do
  [ -x "$bin/$t" ] || { echo "no such target: $t"; exit 1; }
  mkdir -p "artifacts/$t" "$work/$t"
  # Crash inputs found before, kept as regression tests: each must now pass.
  if compgen -G "regressions/$t/*" >/dev/null; then
    if ! "$bin/$t" -runs=1 regressions/"$t"/* >"$work/$t.replay.log" 2>&1; then
      tail -n 40 "$work/$t.replay.log"
      echo "!! $t: a regression input fails again (fuzz/regressions/$t/)"
      failed+=("$t (regression)")
      continue
    fi
  fi
  cp corpus/"$t"/seed-* "$work/$t/"
  echo "==> $t: ${secs}s"
  set +e
  "$bin/$t" "$work/$t" -dict="$(dict_for "$t")" -max_total_time="$secs" -timeout=25 \
    -print_final_stats=1 -artifact_prefix="artifacts/$t/" >"$work/$t.log" 2>&1
  rc=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log" | tail -n 1)
  summary+=("$(printf '%-16s %10s executions in %ss' "$t" "${execs:-?}" "$secs")")
  if [ "$rc" -ne 0 ]; then
    grep -v '^#[0-9]' "$work/$t.log" | tail -n 60
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$work/$t.log" | tail -n 1)
    echo "!! $t crashed (exit $rc); input: fuzz/${artifact:-artifacts/$t/}"
    failed+=("$t")
  fi
done

echo
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
  echo "fuzzing found crashes in: ${failed[*]}"
  exit 1
fi
echo "no crashes"
exit 0
}
