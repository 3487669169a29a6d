"""A local HTTP server that plays Twilio's Messages API, so the real twilio client can be exercised."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


def send_json(handler: BaseHTTPRequestHandler, status: int, body: object) -> None:
    """Answer with `body` as JSON; a client that gave up (timeout tests) is no error."""
    data = json.dumps(body).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except OSError:
        pass


class MessagesAPI:
    def __init__(self, status: int = 201, delay: float = 0.0):
        self.status, self.delay, self.received = status, delay, []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                api.received.append({"path": self.path, "form": form, "auth": self.headers.get("Authorization")})
                time.sleep(api.delay)
                body = {"sid": "SM" + "1" * 32, "status": "queued", "to": form.get("To"), "from": form.get("From"),
                        "body": form.get("Body")} if api.status < 400 else {"code": 20500, "message": "down", "status": api.status}
                send_json(self, api.status, body)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
