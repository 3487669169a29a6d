"""A loopback HTTPS server that plays Amazon's Alexa service APIs (Reminders, Settings: System.timeZone).

The envelope's `context.System.apiEndpoint` points at it, so the skill's real SDK clients call it.
The SDK refuses plain HTTP, so it serves TLS with a certificate for `localhost` from a PKI made in the
test; `REQUESTS_CA_BUNDLE` (set by the fixture) makes `requests` trust it.
"""
from __future__ import annotations

import json
import ssl
import threading
import time
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from tests.certs import MadePKI
from tests.twilio_fake import send_json


@lru_cache(maxsize=1)
def _tls_files() -> tuple[bytes, bytes, bytes]:
    """(certificate chain for localhost, its key, the root) in PEM: made once, RSA keys are slow."""
    pki = MadePKI()
    signer = pki.signer("localhost")
    key = signer.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                   serialization.NoEncryption())
    return signer.chain_pem(), key, pki.root_pem()


class AlexaAPI:
    def __init__(self, folder: Path, time_zone: str = "America/Los_Angeles", status: int = 201,
                 delay: float = 0.0, zone_status: int = 200):
        self.time_zone, self.status, self.delay, self.zone_status = time_zone, status, delay, zone_status
        self.posts: list[dict] = []
        self.gets: list[str] = []
        chain, key, root = _tls_files()
        (folder / "chain.pem").write_bytes(chain)
        (folder / "key.pem").write_bytes(key)
        self.ca_file = folder / "root.pem"
        self.ca_file.write_bytes(root)
        api = self

        class Handler(BaseHTTPRequestHandler):
            def reply(self, status: int, body: object) -> None:
                send_json(self, status, body)

            def do_GET(self) -> None:  # noqa: N802
                api.gets.append(self.path)
                if self.path.endswith("/settings/System.timeZone") and api.zone_status == 200:
                    self.reply(200, api.time_zone)
                else:
                    self.reply(api.zone_status if api.zone_status != 200 else 404, {"type": "NOT_FOUND", "message": "no"})

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                api.posts.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                  "body": json.loads(self.rfile.read(length) or b"{}")})
                time.sleep(api.delay)
                if api.status < 400:
                    self.reply(api.status, {"alertToken": "token-1", "createdTime": "2026-01-01T00:00:00.000Z",
                                            "updatedTime": "2026-01-01T00:00:00.000Z", "status": "ON",
                                            "version": "1", "href": "/v1/alerts/reminders/token-1"})
                else:
                    self.reply(api.status, {"code": "ERROR", "message": f"status {api.status}"})

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(folder / "chain.pem", folder / "key.pem")
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://localhost:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
