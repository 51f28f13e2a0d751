"""The Python example of the gateway README, with only base_url (and the key) changed.

Usage: python client.py BASE_URL API_KEY PLANTED CERT_OUT developer|pro
"""

import json
import sys
import urllib.request

from openai import OpenAI

base_url, api_key, planted, cert_out, tier = sys.argv[1:6]

# As documented:
client = OpenAI(api_key=api_key, base_url=base_url,
                default_headers={"X-Upstream-Key": "sk-test-provider"})
completion = client.chat.completions.create(
    model="gpt-4o",
    messages=[{"role": "user", "content": f"Classify this ticket: printer jammed, reply to {planted}"}],
)

# The SDK parsed a chat.completion.
content = completion.choices[0].message.content
assert completion.object == "chat.completion", completion.object
assert completion.choices[0].finish_reason == "stop"
assert completion.usage.total_tokens == 21
if tier == "developer":
    # Placeholders, never the value.
    assert planted not in content and "[EMAIL_ADDRESS_" in content, content
else:
    # The caller's own value, exactly, in place of its placeholder.
    assert f"reply to {planted} I cc'd [EMAIL_ADDRESS_" in content, content
# The model's own address is replaced for every tier.
assert "model.made@example.net" not in content, content

# The SDK types `metadata` as string values (stored completions); the object parses all
# the same, as a plain dict.
dsa = completion.metadata["dsa_compliance"]
assert dsa["sanitized"] is True, dsa
assert dsa["findings"] == {"EMAIL_ADDRESS": 1}, dsa
assert len(dsa["policy_digest"]) == 64 and dsa["engine_version"], dsa

with urllib.request.urlopen(dsa["certificate_url"]) as r:
    cert = r.read()
assert json.loads(cert)["id"] == dsa["certificate_id"]
assert planted.encode() not in cert
with open(cert_out, "wb") as f:
    f.write(cert)

# Streaming, as documented for the SDK: the same answer, chunk by chunk.
stream = client.chat.completions.create(
    model="gpt-4o",
    messages=[{"role": "user", "content": f"Classify this ticket: printer jammed, reply to {planted}"}],
    stream=True,
    stream_options={"include_usage": True},
)
streamed, meta, usage = "", None, None
for chunk in stream:
    if chunk.choices and chunk.choices[0].delta.content:
        streamed += chunk.choices[0].delta.content
    if chunk.usage:
        usage = chunk.usage.total_tokens
    if getattr(chunk, "metadata", None):
        meta = chunk.metadata["dsa_compliance"]
assert streamed == content, (streamed, content)
assert usage == 21, usage
assert meta and meta["findings"] == {"EMAIL_ADDRESS": 1}, meta
with urllib.request.urlopen(meta["certificate_url"]) as r:
    stream_cert = r.read()
assert planted.encode() not in stream_cert
with open(cert_out.replace(".json", ".stream.json"), "wb") as f:
    f.write(stream_cert)
print(f"python openai ({tier}): ok, certificates {dsa['certificate_id']} and {meta['certificate_id']} (streamed)")
