"""A full tool loop through the gateway with the official `openai` and `anthropic` SDKs,
whole and streamed; then embeddings with the `openai` SDK.

The model (the mock upstream) asks for a `send_mail` call whose arguments hold the
placeholder of the address the user wrote. The caller's function receives the real
address (pro keys) or the placeholder (developer keys), runs, and returns a result that
holds personal data; the next request carries that result (`role: tool` for OpenAI, a
`tool_result` block for Anthropic), and the model's final answer quotes it. run.sh checks
that no planted value ever reached the upstream.

Usage: python tools.py BASE_URL API_KEY PLANTED developer|pro CERT_PREFIX
"""

import json
import sys
import urllib.request

from anthropic import Anthropic
from openai import OpenAI

base_url, api_key, planted, tier, cert_prefix = sys.argv[1:6]
pro = tier == "pro"
# What the tool reports: personal data the gateway has not seen before.
bounce = "postmaster.bounce@planted.example"


def send_mail(to, subject):
    """The caller's function: what it gets is what the gateway gave back."""
    if pro:
        assert to == planted, to
    else:
        assert to.startswith("[EMAIL_ADDRESS_") and planted not in to, to
    return f"sent '{subject}' to {to}; bounce report from {bounce}"


def check_final(text, result):
    assert text == f"Done: {result}" if pro else text.startswith("Done: sent 'printer fixed' to [EMAIL_ADDRESS_"), text
    if not pro:
        assert "planted" not in text, text


def save(url, name):
    with urllib.request.urlopen(url) as r:
        cert = r.read()
    assert b"planted" not in cert
    with open(f"{cert_prefix}-{name}.json", "wb") as f:
        f.write(cert)
    return json.loads(cert)


# OpenAI: whole, then streamed.
client = OpenAI(api_key=api_key, base_url=f"{base_url}/v1", default_headers={"X-Upstream-Key": "sk-test-provider"})
tools = [{"type": "function", "function": {
    "name": "send_mail", "description": "Send an e-mail",
    "parameters": {"type": "object", "properties": {"to": {"type": "string"}, "subject": {"type": "string"}},
                   "required": ["to", "subject"]}}}]
for stream in (False, True):
    messages = [{"role": "user", "content": f"Tell {planted} that the printer is fixed."}]
    if stream:
        calls, content, meta = {}, "", None
        for chunk in client.chat.completions.create(model="gpt-4o", messages=messages, tools=tools, stream=True):
            if getattr(chunk, "metadata", None):
                meta = chunk.metadata["dsa_compliance"]
            for choice in chunk.choices:
                for tc in choice.delta.tool_calls or []:
                    c = calls.setdefault(tc.index, {"id": None, "name": None, "arguments": ""})
                    c["id"] = tc.id or c["id"]
                    c["name"] = (tc.function.name if tc.function else None) or c["name"]
                    c["arguments"] += (tc.function.arguments or "") if tc.function else ""
        call = calls[0]
        assert meta and meta["findings"] == {"EMAIL_ADDRESS": 1}, meta
        assistant = {"role": "assistant", "content": None, "tool_calls": [
            {"id": call["id"], "type": "function",
             "function": {"name": call["name"], "arguments": call["arguments"]}}]}
        call_id, args = call["id"], json.loads(call["arguments"])
    else:
        r = client.chat.completions.create(model="gpt-4o", messages=messages, tools=tools)
        assert r.choices[0].finish_reason == "tool_calls"
        tc = r.choices[0].message.tool_calls[0]
        meta = r.metadata["dsa_compliance"]
        assistant = {"role": "assistant", "content": None, "tool_calls": [
            {"id": tc.id, "type": "function", "function": {"name": tc.function.name, "arguments": tc.function.arguments}}]}
        call_id, args = tc.id, json.loads(tc.function.arguments)
    save(meta["certificate_url"], f"openai-{'stream' if stream else 'whole'}-1")
    result = send_mail(**args)
    messages += [assistant, {"role": "tool", "tool_call_id": call_id, "content": result}]
    if stream:
        text, meta = "", None
        for chunk in client.chat.completions.create(model="gpt-4o", messages=messages, tools=tools, stream=True):
            if getattr(chunk, "metadata", None):
                meta = chunk.metadata["dsa_compliance"]
            if chunk.choices and chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
    else:
        r = client.chat.completions.create(model="gpt-4o", messages=messages, tools=tools)
        text, meta = r.choices[0].message.content, r.metadata["dsa_compliance"]
    check_final(text, result)
    # The request carried the user's address in the first message, in the tool call's
    # arguments (pro keys: the real value came back) and in the tool's result, and the
    # bounce address in the result.
    assert meta["findings"] == {"EMAIL_ADDRESS": 4 if pro else 2}, meta
    save(meta["certificate_url"], f"openai-{'stream' if stream else 'whole'}-2")

# Anthropic: whole, then streamed with the SDK's raw events.
claude = Anthropic(api_key=api_key, base_url=base_url, default_headers={"X-Upstream-Key": "sk-ant-test-provider"})
atools = [{"name": "send_mail", "description": "Send an e-mail",
           "input_schema": {"type": "object", "properties": {"to": {"type": "string"}, "subject": {"type": "string"}},
                            "required": ["to", "subject"]}}]
for stream in (False, True):
    messages = [{"role": "user", "content": f"Tell {planted} that the printer is fixed."}]
    if stream:
        blocks, meta, stop = {}, None, None
        for ev in claude.messages.create(model="claude-mock", max_tokens=256, messages=messages, tools=atools,
                                         stream=True):
            if ev.type == "content_block_start":
                blocks[ev.index] = ev.content_block.model_dump(exclude_none=True)
                if blocks[ev.index]["type"] == "tool_use":
                    blocks[ev.index]["partial"] = ""
            elif ev.type == "content_block_delta" and ev.delta.type == "text_delta":
                blocks[ev.index]["text"] += ev.delta.text
            elif ev.type == "content_block_delta" and ev.delta.type == "input_json_delta":
                blocks[ev.index]["partial"] += ev.delta.partial_json
            elif ev.type == "message_delta":
                stop = ev.delta.stop_reason
                meta = (ev.model_extra or {})["metadata"]["dsa_compliance"]
        for b in blocks.values():
            if b["type"] == "tool_use":
                b["input"] = json.loads(b.pop("partial"))
        content = [blocks[i] for i in sorted(blocks)]
    else:
        msg = claude.messages.create(model="claude-mock", max_tokens=256, messages=messages, tools=atools)
        stop = msg.stop_reason
        meta = (msg.model_extra or {})["metadata"]["dsa_compliance"]
        content = [b.model_dump(exclude_none=True) for b in msg.content]
    assert stop == "tool_use", stop
    assert meta["findings"] == {"EMAIL_ADDRESS": 1}, meta
    save(meta["certificate_url"], f"anthropic-{'stream' if stream else 'whole'}-1")
    use = next(b for b in content if b["type"] == "tool_use")
    result = send_mail(**use["input"])
    messages += [{"role": "assistant", "content": content},
                 {"role": "user", "content": [{"type": "tool_result", "tool_use_id": use["id"], "content": result}]}]
    if stream:
        text, meta = "", None
        for ev in claude.messages.create(model="claude-mock", max_tokens=256, messages=messages, tools=atools,
                                         stream=True):
            if ev.type == "content_block_delta" and ev.delta.type == "text_delta":
                text += ev.delta.text
            elif ev.type == "message_delta":
                meta = (ev.model_extra or {})["metadata"]["dsa_compliance"]
    else:
        msg = claude.messages.create(model="claude-mock", max_tokens=256, messages=messages, tools=atools)
        text = msg.content[0].text
        meta = (msg.model_extra or {})["metadata"]["dsa_compliance"]
    check_final(text, result)
    assert meta["findings"] == {"EMAIL_ADDRESS": 4 if pro else 2}, meta
    save(meta["certificate_url"], f"anthropic-{'stream' if stream else 'whole'}-2")

# Embeddings through the same client: the SDK asks for base64 vectors and decodes them.
emb = client.embeddings.create(model="text-embedding-3-small", input=[f"Ticket from {planted}", "no data here"])
assert [round(x, 3) for x in emb.data[1].embedding] == [0.5, -0.25, 1.0], emb.data[1].embedding
meta = emb.model_extra["metadata"]["dsa_compliance"]
assert meta["findings"] == {"EMAIL_ADDRESS": 1}, meta
save(meta["certificate_url"], "embeddings")

print(f"python tool loops ({tier}): openai and anthropic, whole and streamed, and embeddings: ok")
