#!/usr/bin/env python3
"""Writes the seed corpora (fuzz/corpus/<target>/seed-*). Run again after changing a
target's input format; the files are committed."""
import json, os, struct, sys

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.dirname(here)
corpus = os.path.join(root, "corpus")

def put(target, name, data):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)

texts = {
    "email": "Please mail ana@example.org about the invoice.",
    "phone_iban": "Call +1 415 555 0100 or pay to DE89 3704 0044 0532 0130 00.",
    "name_card": "Ana Müller paid with 4111 1111 1111 1111, SSN 078-05-1120.",
    "mixed": "Kontakt: jan.novak@firma.cz, tel. +420 601 123 456 — 😀 IP 192.168.0.7",
    "placeholder": "Reply to [EMAIL_ADDRESS_1] and [PERSON_2] please.",
}
for k, v in texts.items():
    put("scan", k, v)
    put("sanitize_relink", k, v)
    put("stream", k, bytes([k.__len__() % 7 + 1]) + v.encode())

# Streams over texts of the labelled corpus (dev half), where every kind of finding
# meets the hold-back: one text in 40, and texts joined in pairs, with varied chunk sizes.
with open(os.path.join(os.path.dirname(root), "benches", "corpus", "dev.jsonl"), encoding="utf-8") as f:
    dev = [json.loads(line)["text"] for line in f]
for i, t in enumerate(dev[::40]):
    put("stream", "corpus-%02d" % i, bytes([(i % 5) * 3 + 1]) + t.encode())
for i in range(6):
    put("stream", "corpus-pair-%d" % i, bytes([i + 1]) + (dev[i * 7] + "\n\n" + dev[i * 7 + 3]).encode())

# Certificates: mode 0 (any text), 1 (edits to the first of a chain), 2 (to the second).
tv = os.path.join(os.path.dirname(root), "testdata", "certificate")
for name in ["certificate.json", "certificate.pretty.json", "certificate.tampered.json"]:
    with open(os.path.join(tv, name), "rb") as f:
        put("certificate", name.replace(".json", ""), b"\x00" + f.read())
put("certificate", "unchanged", b"\x01")
put("certificate", "edit-one", b"\x01" + bytes([0, 40, 0, ord("0")]))
put("certificate", "insert-space", b"\x01" + bytes([1, 1, 0, ord(" ")]))
put("certificate", "chain-delete", b"\x02" + bytes([2, 100, 0, 0]))

chat = {
    "simple": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Mail ana@example.org"}]},
    "parts": {"model": "m", "stream": True, "stop": ["END", "ana@example.org"], "metadata": {"who": "Ana Müller"},
              "messages": [{"role": "system", "content": "Be brief."},
                           {"role": "user", "content": [{"type": "text", "text": "Call +1 415 555 0100"},
                                                        {"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]},
    "tools": {"model": "m", "messages": [
        {"role": "user", "content": "Send it"},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function",
            "function": {"name": "send", "arguments": "{\"to\": \"ana@example.org\", \"cc\": [\"bo@example.net\"]}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": "sent to ana@example.org"}],
        "tools": [{"type": "function", "function": {"name": "send", "description": "Sends mail",
            "parameters": {"type": "object", "properties": {"to": {"type": "string", "examples": ["x@example.com"]}}}}}],
        "tool_choice": {"type": "function", "function": {"name": "send"}}},
    "schema": {"model": "m", "temperature": 0.2, "n": 1, "seed": 7, "messages": [{"role": "developer", "content": "x"}],
               "response_format": {"type": "json_schema", "json_schema": {"name": "r", "strict": True,
                   "schema": {"type": "object", "properties": {"email": {"type": "string", "default": "a@b.co"}}}}},
               "web_search_options": {"user_location": {"type": "approximate", "approximate": {"city": "Berlin"}}}},
}
for k, v in chat.items():
    put("chat_request", k, json.dumps(v, ensure_ascii=False, indent=1 if k == "tools" else None))

messages = {
    "simple": {"model": "claude-sonnet-4-5", "max_tokens": 256, "messages": [{"role": "user", "content": "Mail ana@example.org"}]},
    "blocks": {"model": "m", "max_tokens": 64, "stream": True, "system": [{"type": "text", "text": "You help Ana Müller."}],
               "stop_sequences": ["ana@example.org"], "metadata": {"user_id": "u-1"},
               "messages": [{"role": "user", "content": [{"type": "text", "text": "Call +1 415 555 0100"}]}]},
    "tools": {"model": "m", "max_tokens": 64,
              "tools": [{"name": "send_mail", "description": "Sends mail",
                         "input_schema": {"type": "object", "properties": {"to": {"type": "string"}}}}],
              "messages": [{"role": "user", "content": "Send it to ana@example.org"},
                           {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "send_mail",
                                                              "input": {"to": "ana@example.org", "cc": ["bo@example.net"]}}]},
                           {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1",
                                                         "content": [{"type": "text", "text": "sent to ana@example.org"}]}]}]},
}
for k, v in messages.items():
    put("messages_request", k, json.dumps(v, ensure_ascii=False))
put("chat_request", "escapes", '{"model":"m","messages":[{"role":"user","content":"a\\u0040b.example \\"q\\" \\ud83d\\ude00"}],"x":{"k":"v","k2":[1,2.5e3,true,null]}}')

answers = {
    "message": {"id": "chatcmpl-1", "object": "chat.completion", "model": "m", "choices": [{"index": 0,
        "message": {"role": "assistant", "content": "I wrote to ana@example.org and new.person@corp.example."},
        "finish_reason": "stop"}], "usage": {"total_tokens": 9}},
    "tool": {"choices": [{"index": 0, "message": {"role": "assistant", "content": None, "tool_calls": [{"id": "c",
        "type": "function", "function": {"name": "send", "arguments": "{\"to\":\"ana@example.org\"}"}}]},
        "finish_reason": "tool_calls"}], "metadata": {"x": 1}},
    "error": {"error": {"message": "quota for boss@corp.example exceeded", "type": "insufficient_quota"}},
}
for i, (k, v) in enumerate(answers.items()):
    put("chat_answer", k, bytes([i % 2]) + json.dumps(v).encode())
put("chat_answer", "metadata-not-object", b"\x00" + b'{"metadata": [1], "choices": []}')

sse = "data: {\"a\":\"é😀\"}\n\n: keep-alive\n\nevent: ping\ndata:x\r\ndata:  y\r\n\r\nid: 7\nretry: 10\ndata\n\rdata: [DONE]\r\r"
put("sse", "lines", bytes([0, 3, 1, 5, 0]) + sse.encode())
put("sse", "limit", bytes([0x88, 1, 7]) + b"data: 12345\ndata: 12345\n\ndata: 1234567890123\n\n")
put("sse", "crlf", bytes([0, 2, 8, 1]) + b"data: a\r\n\r\ndata: b\r\r\n")

def chunk(delta, finish=None, index=0):
    c = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
         "choices": [{"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}]}
    return "data: " + json.dumps(c, ensure_ascii=False) + "\n\n"

up = chunk({"role": "assistant", "content": ""}) + ": keep-alive\n\n"
for piece in ["I wrote to ", "ana@exa", "mple.org and ", "new.person@", "corp.example. Call +1 415 ", "555 0100 😀"]:
    up += chunk({"content": piece})
up += chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {"name": "send", "arguments": ""}}]})
for piece in ["{\"to\": \"", "ana@example", ".org\"}"]:
    up += chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
up += chunk({}, "tool_calls")
up += 'data: {"id":"chatcmpl-1","choices":[],"usage":{"total_tokens":9}}\r\n\r\n'
up += "data: [DONE]\n\n"
put("stream_answer", "tool-call", bytes([0, 3, 7, 1, 30]) + up.encode())
put("stream_answer", "relink", bytes([1, 1, 11]) + up.encode())
two = chunk({"content": "a@b.example"}, index=0) + chunk({"content": "x"}, index=1) + chunk({}, "stop", 1) + \
    "event: odd\ndata: not json from x@corp.example\n\n" + 'data: {"error": {"message": "for boss@corp.example"}}\n\n'
put("stream_answer", "choices-errors", bytes([0, 0]) + two.encode())

put("ffi", "default-policy", texts["email"])
put("ffi", "policy", json.dumps({"threshold": 0.4, "disable": ["PHONE_NUMBER"], "allow": ["ana@example.org"],
    "deny": ["Project Falcon", {"term": "Blue Heron", "kind": "CODENAME"}],
    "custom": [{"kind": "TICKET", "regex": "TCK-[0-9]{4}", "score": 0.9, "context": ["ticket"]},
               {"kind": "FRUIT", "words": ["kiwi"], "case_insensitive": True}],
    "regions": ["eu", "us"]}) + "\0" + "ticket TCK-1234 about Project Falcon, kiwi, ana@example.org, bo@example.net")
put("ffi", "invalid-utf8", b"mail ana@exa\xffmple.org \xe2\x82 and \xf0\x9f\x98")
put("ffi", "bad-policy", b'{"custom": [{"kind": "X", "regex": "("}]}\0text')
put("ffi", "only", b'{"only": ["EMAIL_ADDRESS"], "thresholds": {"EMAIL_ADDRESS": 0.9}}\0' + texts["phone_iban"].encode() + b" a@b.co")
