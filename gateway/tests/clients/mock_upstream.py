"""A mock OpenAI-compatible upstream for the client tests.

Answers POST /v1/chat/completions with a chat.completion that echoes the last user
message as the model saw it and adds an e-mail address of the model's own. Records each
request body, one JSON line per request, in RECORD. Writes the port it listens on to
PORT_FILE once it is ready.

Usage: python3 mock_upstream.py PORT_FILE RECORD
"""

import json
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
                                "body": body.decode("utf-8")}).encode() + b"\n")
        if self.path != "/v1/chat/completions":
            return self.reply(404, {"error": {"message": "not found", "type": "invalid_request_error",
                                              "param": None, "code": None}})
        req = json.loads(body)
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

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os  # noqa: E402

os.replace(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
