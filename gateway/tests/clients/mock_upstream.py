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
        self.reply(200, {
            "id": "chatcmpl-mock",
            "object": "chat.completion",
            "created": 1700000000,
            "model": req["model"],
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": f"You wrote: {seen} I cc'd model.made@example.net.",
                            "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }],
            "usage": {"prompt_tokens": 12, "completion_tokens": 9, "total_tokens": 21},
        })

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
