"""The Python example of the gateway README, with only base_url (and the key) changed.

Usage: python client.py BASE_URL API_KEY PLANTED CERT_OUT
"""

import json
import sys
import urllib.request

from openai import OpenAI

base_url, api_key, planted, cert_out = sys.argv[1:5]

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
# A developer key gets placeholders, never the value; the model's own address is replaced too.
assert planted not in content and "[EMAIL_ADDRESS_" in content, content
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
print(f"python openai: ok, certificate {dsa['certificate_id']}")
