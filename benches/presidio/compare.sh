#!/usr/bin/env bash
# Scores Lucairn and Microsoft Presidio on the same corpus and prints them side by side.
#
#   benches/presidio/compare.sh [CORPUS] [--markdown]      (default: benches/corpus/test.jsonl)
#
# Creates benches/presidio/.venv from requirements.txt on first use (PRESIDIO_VENV picks
# another one). Reports land in benches/out/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

corpus="benches/corpus/test.jsonl"
markdown=()
for arg in "$@"; do
    case "$arg" in
        --markdown) markdown=(--markdown) ;;
        *) corpus="$arg" ;;
    esac
done

venv="${PRESIDIO_VENV:-benches/presidio/.venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q -r benches/presidio/requirements.txt
fi

name="$(basename "$corpus" .jsonl)"
mkdir -p benches/out
cargo build --release -q -p lucairn-benches --bin eval
target/release/eval "$corpus" --json > "benches/out/lucairn-$name.json"
"$venv/bin/python" benches/presidio/run_presidio.py "$corpus" --json --eval-bin target/release/eval \
    > "benches/out/presidio-$name.json"
python3 benches/presidio/side_by_side.py "benches/out/lucairn-$name.json" "benches/out/presidio-$name.json" \
    "${markdown[@]}"
