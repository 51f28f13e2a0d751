"""A mock OpenAI-compatible and Anthropic-compatible upstream for the client tests.

Answers POST /v1/chat/completions with a chat.completion that echoes the last user
message as the model saw it and adds an e-mail address of the model's own. With `tools`
in the request it plays a model in a tool loop: it asks for a `send_mail` call whose
arguments hold the first placeholder it saw, and once it gets the tool's result it
answers "Done: " and the result as it saw it. POST /v1/messages does the same tool loop
in Anthropic's Messages format (whole or as Anthropic's events). POST /v1/embeddings
answers one small vector per input. Records each request
(path, auth headers, body), one JSON line per request, in RECORD. Writes the port it
listens on to PORT_FILE once it is ready.

Usage: python3 mock_upstream.py PORT_FILE RECORD
"""

import base64
import json
import re
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock, open(sys.argv[2], "ab") as f:
            f.write(json.dumps({"path": self.path, "authorization": self.headers.get("Authorization"),
                                "x_api_key": self.headers.get("x-api-key"),
                                "anthropic_version": self.headers.get("anthropic-version"),
                                "body": body.decode("utf-8")}).encode() + b"\n")
        if self.path == "/v1/messages":
            return self.messages(json.loads(body))
        if self.path == "/v1/embeddings":
            return self.embeddings(json.loads(body))
        if self.path != "/v1/chat/completions":
            return self.reply(404, {"error": {"message": "not found", "type": "invalid_request_error",
                                              "param": None, "code": None}})
        req = json.loads(body)
        if req.get("tools"):
            return self.chat_tools(req)
        seen = req["messages"][-1]["content"]
        if isinstance(seen, list):
            seen = " ".join(p.get("text", "") for p in seen)
        text = f"You wrote: {seen} I cc'd model.made@example.net."
        if req.get("stream"):
            return self.stream(req, text)
        self.reply(200, {
            "id": "chatcmpl-mock",
            "object": "chat.completion",
            "created": 1700000000,
            "model": req["model"],
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }],
            "usage": {"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21},
        })

    def stream(self, req, text):
        """The answer as chat.completion.chunk events, 1 to 4 characters each, written as
        separate chunks cut at odd bytes (inside JSON, placeholders and characters)."""

        def chunk(delta, finish=None, usage=None):
            c = {"id": "chatcmpl-mock", "object": "chat.completion.chunk", "created": 1700000000,
                 "model": req["model"], "choices": [{"index": 0, "delta": delta, "logprobs": None,
                                                      "finish_reason": finish}]}
            if usage is not None:
                c["choices"] = []
                c["usage"] = usage
            return f"data: {json.dumps(c)}\n\n".encode()

        sse = chunk({"role": "assistant", "content": ""})
        i, n = 0, 1
        while i < len(text):
            sse += chunk({"content": text[i:i + n]})
            i, n = i + n, n % 4 + 1
        sse += chunk({}, "stop")
        if (req.get("stream_options") or {}).get("include_usage"):
            sse += chunk({}, usage={"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21})
        sse += b"data: [DONE]\n\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        at, size = 0, 1
        while at < len(sse):
            piece = sse[at:at + size]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.flush()
            at, size = at + size, size * 3 % 97 + 1
        self.wfile.write(b"0\r\n\r\n")

    def chat_tools(self, req):
        """One step of a tool loop in the Chat Completions format."""
        last = req["messages"][-1]
        if last["role"] == "tool":
            message = {"role": "assistant", "content": f"Done: {last['content']}", "refusal": None}
            finish = "stop"
        else:
            args = json.dumps({"to": first_placeholder(last["content"]), "subject": "printer fixed"})
            message = {"role": "assistant", "content": None, "refusal": None, "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "send_mail", "arguments": args}}]}
            finish = "tool_calls"
        if not req.get("stream"):
            return self.reply(200, {
                "id": "chatcmpl-tools", "object": "chat.completion", "created": 1700000000, "model": req["model"],
                "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": finish}],
                "usage": {"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21},
            })

        def chunk(delta, finish=None):
            c = {"id": "chatcmpl-tools", "object": "chat.completion.chunk", "created": 1700000000,
                 "model": req["model"], "choices": [{"index": 0, "delta": delta, "logprobs": None,
                                                      "finish_reason": finish}]}
            return f"data: {json.dumps(c)}\n\n".encode()

        sse = chunk({"role": "assistant", "content": None if message.get("tool_calls") else ""})
        if message.get("tool_calls"):
            call = message["tool_calls"][0]
            sse += chunk({"tool_calls": [{"index": 0, "id": call["id"], "type": "function",
                                          "function": {"name": "send_mail", "arguments": ""}}]})
            for piece in pieces(call["function"]["arguments"]):
                sse += chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
        else:
            for piece in pieces(message["content"]):
                sse += chunk({"content": piece})
        sse += chunk({}, finish) + b"data: [DONE]\n\n"
        self.send_sse(sse)

    def messages(self, req):
        """One step of a tool loop in Anthropic's Messages format."""
        last = req["messages"][-1]
        content = last["content"]
        results = [b for b in content if isinstance(b, dict) and b.get("type") == "tool_result"] \
            if isinstance(content, list) else []
        if results:
            seen = results[0]["content"]
            if isinstance(seen, list):
                seen = " ".join(b.get("text", "") for b in seen)
            blocks = [{"type": "text", "text": f"Done: {seen}"}]
            stop = "end_turn"
        else:
            text = content if isinstance(content, str) else " ".join(b.get("text", "") for b in content)
            blocks = [{"type": "text", "text": "Sending it now."},
                      {"type": "tool_use", "id": "toolu_1", "name": "send_mail",
                       "input": {"to": first_placeholder(text), "subject": "printer fixed"}}]
            stop = "tool_use"
        usage = {"input_tokens": 12, "output_tokens": 9}
        message = {"id": "msg_mock", "type": "message", "role": "assistant", "model": req["model"],
                   "content": blocks, "stop_reason": stop, "stop_sequence": None, "usage": usage}
        if not req.get("stream"):
            return self.reply(200, message)

        def event(data):
            return f"event: {data['type']}\ndata: {json.dumps(data)}\n\n".encode()

        sse = event({"type": "message_start", "message": dict(message, content=[], stop_reason=None,
                                                              usage={"input_tokens": 12, "output_tokens": 1})})
        sse += event({"type": "ping"})
        for i, b in enumerate(blocks):
            if b["type"] == "text":
                sse += event({"type": "content_block_start", "index": i, "content_block": {"type": "text", "text": ""}})
                for piece in pieces(b["text"]):
                    sse += event({"type": "content_block_delta", "index": i,
                                  "delta": {"type": "text_delta", "text": piece}})
            else:
                sse += event({"type": "content_block_start", "index": i,
                              "content_block": dict(b, input={})})
                for piece in pieces(json.dumps(b["input"])):
                    sse += event({"type": "content_block_delta", "index": i,
                                  "delta": {"type": "input_json_delta", "partial_json": piece}})
            sse += event({"type": "content_block_stop", "index": i})
        sse += event({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                      "usage": {"output_tokens": 9}})
        sse += event({"type": "message_stop"})
        self.send_sse(sse)

    def embeddings(self, req):
        """One vector of three floats per input, as floats or base64 (what the SDK asks for)."""
        inputs = req["input"] if isinstance(req["input"], list) else [req["input"]]
        data = []
        for i, _ in enumerate(inputs):
            vec = [0.5, -0.25, float(i)]
            if req.get("encoding_format") == "base64":
                vec = base64.b64encode(struct.pack("<3f", *vec)).decode()
            data.append({"object": "embedding", "index": i, "embedding": vec})
        self.reply(200, {"object": "list", "data": data, "model": req["model"],
                         "usage": {"prompt_tokens": 4, "total_tokens": 4}})

    def send_sse(self, sse):
        """Writes an event stream as chunks cut at odd bytes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        at, size = 0, 1
        while at < len(sse):
            piece = sse[at:at + size]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.flush()
            at, size = at + size, size * 3 % 97 + 1
        self.wfile.write(b"0\r\n\r\n")

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def first_placeholder(text):
    if isinstance(text, list):
        text = " ".join(p.get("text", "") for p in text)
    m = re.search(r"\[EMAIL_ADDRESS_\d+\]", text)
    return m.group(0) if m else "nobody"


def pieces(text):
    """`text` in pieces of 1 to 4 characters."""
    i, n = 0, 1
    while i < len(text):
        yield text[i:i + n]
        i, n = i + n, n % 4 + 1


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402

os.replace(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
