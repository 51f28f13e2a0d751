#!/usr/bin/env bash
# The three clients of the documentation against `lucairn serve` and a mock upstream:
# the official `openai` Python package, the official `openai` npm package and curl, each
# used as documented with only the base URL (and the key) changed. Each checks that the
# answer parses, carries metadata.dsa_compliance, and that the certificate URL serves a
# certificate that verifies with the gateway's published key; the two SDKs do it again with
# `stream: true` (the mock streams the answer cut at odd bytes) and check that the streamed
# text equals the whole answer. Then a full tool loop with the `openai` and the official
# `anthropic` Python packages (tools.py), whole and streamed, for both tiers. The mock
# records what it received; no planted value may be in it.
#
# Installs the client packages on first run into gateway/tests/clients/.deps (git-ignored;
# LUCAIRN_CLIENT_DEPS moves it). Needs cargo, python3 (with venv), node >= 18 and npm.
# LUCAIRN_BIN names a built `lucairn` binary; otherwise a debug build is made.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
deps="${LUCAIRN_CLIENT_DEPS:-$here/.deps}"
planted="anna.schmidt@planted.example"

step() { printf '== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

# The gateway binary.
bin="${LUCAIRN_BIN:-}"
if [ -z "$bin" ]; then
    step "building lucairn"
    (cd "$root" && cargo build -q -p lucairn-gateway --bin lucairn)
    target="$(cd "$root" && cargo metadata -q --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    bin="$target/debug/lucairn"
fi
[ -x "$bin" ] || fail "no lucairn binary at $bin"

# The official client packages, installed once.
mkdir -p "$deps"
if ! "$deps/venv/bin/python" -c "import openai, anthropic" 2>/dev/null; then
    step "installing the openai and anthropic Python packages"
    python3 -m venv "$deps/venv"
    "$deps/venv/bin/pip" install -q --disable-pip-version-check openai anthropic
fi
if [ ! -f "$deps/node/node_modules/openai/package.json" ]; then
    step "installing the openai npm package"
    mkdir -p "$deps/node"
    (cd "$deps/node" && { [ -f package.json ] || npm init -y >/dev/null; } &&
        npm install --silent --no-audit --no-fund openai >/dev/null)
fi
# ES modules resolve packages next to the script: run the Node client from there.
cp "$here/client.mjs" "$deps/node/client.mjs"

work="$(mktemp -d)"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # FILE PATTERN: wait up to 20 s for PATTERN in FILE
    for _ in $(seq 200); do
        if [ -f "$1" ] && grep -q "$2" "$1"; then return 0; fi
        sleep 0.1
    done
    return 1
}

step "starting the mock upstream and the gateway"
python3 "$here/mock_upstream.py" "$work/mock.port" "$work/upstream.jsonl" &
pids+=($!)
wait_for "$work/mock.port" '[0-9]' || fail "the mock upstream did not start"
mock_port="$(cat "$work/mock.port")"
key="$("$bin" keys create --data-dir "$work/data" --tier developer --tenant clients)"
pro_key="$("$bin" keys create --data-dir "$work/data" --tier pro --tenant clients)"
"$bin" serve --data-dir "$work/data" --listen 127.0.0.1:0 --upstream "http://127.0.0.1:$mock_port/v1" \
    --anthropic-upstream "http://127.0.0.1:$mock_port" \
    >"$work/serve.out" 2>"$work/serve.err" &
pids+=($!)
wait_for "$work/serve.out" 'listening on' || { cat "$work/serve.err" >&2; fail "the gateway did not start"; }
base="$(sed -n 's/^lucairn: listening on //p' "$work/serve.out")"

verify() { # NAME CERT_FILE...
    local name="$1"
    shift
    for f in "$@"; do "$bin" verify "$f" --url "$base" || fail "$name: the certificate does not verify"; done
}

step "python: $("$deps/venv/bin/python" -c 'import openai; print("openai", openai.__version__)')"
for tier in developer pro; do
    k="$key"
    [ "$tier" = pro ] && k="$pro_key"
    "$deps/venv/bin/python" -W error "$here/client.py" "$base/v1" "$k" "$planted" "$work/py-$tier.json" "$tier"
    verify python "$work/py-$tier.json" "$work/py-$tier.stream.json"
done

step "node: openai $(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1])).version' \
    "$deps/node/node_modules/openai/package.json")"
for tier in developer pro; do
    k="$key"
    [ "$tier" = pro ] && k="$pro_key"
    (cd "$deps/node" && node client.mjs "$base/v1" "$k" "$planted" "$work/node-$tier.json" "$tier")
    verify node "$work/node-$tier.json" "$work/node-$tier.stream.json"
done

step "curl: $(curl --version | head -n1 | cut -d' ' -f1-2)"
# As documented:
curl -sS --fail-with-body http://"${base#http://}"/v1/chat/completions \
  -H "Authorization: Bearer $key" -H "X-Upstream-Key: sk-test-provider" \
  -H "Content-Type: application/json" \
  -d "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"Mail $planted\"}]}" \
  -D "$work/curl.headers" -o "$work/curl.json"
python3 - "$work/curl.json" "$work/curl.headers" "$planted" "$work/curl.cert.url" <<'PY'
import json, sys
body = json.load(open(sys.argv[1]))
headers = open(sys.argv[2]).read().lower()
content = body["choices"][0]["message"]["content"]
assert body["object"] == "chat.completion"
assert sys.argv[3] not in content and "[EMAIL_ADDRESS_" in content, content
dsa = body["metadata"]["dsa_compliance"]
assert dsa["sanitized"] is True and dsa["findings"] == {"EMAIL_ADDRESS": 1}, dsa
assert "x-lucairn-certificate: " + dsa["certificate_url"].lower() in headers, headers
open(sys.argv[4], "w").write(dsa["certificate_url"])
PY
curl -sS --fail-with-body "$(cat "$work/curl.cert.url")" -o "$work/curl.cert.json"
if grep -q "$planted" "$work/curl.cert.json"; then fail "curl: the certificate holds the value"; fi
verify curl "$work/curl.cert.json"
# The certificate URL itself verifies too.
"$bin" verify "$(cat "$work/curl.cert.url")" --url "$base" >/dev/null || fail "curl: verify by URL"

step "python tool loops: $("$deps/venv/bin/python" -c 'import anthropic; print("anthropic", anthropic.__version__)')"
for tier in developer pro; do
    k="$key"
    [ "$tier" = pro ] && k="$pro_key"
    "$deps/venv/bin/python" -W error "$here/tools.py" "$base" "$k" "$planted" "$tier" "$work/tools-$tier"
    verify tools "$work/tools-$tier"-*.json
done

step "the upstream saw no planted value"
[ "$(wc -l <"$work/upstream.jsonl")" -eq 27 ] || fail "expected 27 upstream calls, got $(wc -l <"$work/upstream.jsonl")"
if grep -q "planted" "$work/upstream.jsonl"; then fail "a planted value reached the upstream"; fi
if grep -q -e "$key" -e "$pro_key" "$work/upstream.jsonl"; then fail "a gateway key reached the upstream"; fi
grep -q '"authorization": "Bearer sk-test-provider"' "$work/upstream.jsonl" || fail "the provider key was not forwarded"
python3 - "$work/upstream.jsonl" <<'PY' || fail "the Anthropic provider key or version was not forwarded as documented"
import json, sys
calls = [json.loads(line) for line in open(sys.argv[1])]
messages = [c for c in calls if c["path"] == "/v1/messages"]
assert len(messages) == 8, len(messages)
for c in messages:
    assert c["x_api_key"] == "sk-ant-test-provider" and c["authorization"] is None, c
    assert c["anthropic_version"], c  # the SDK's own version, passed on
PY

echo "4 passed, 0 failed"
