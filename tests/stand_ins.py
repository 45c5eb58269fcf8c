"""Small local servers for network tests, on 127.0.0.1: a forwarding HTTP proxy that records
what passes through it, and a Bot API that rejects every token."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class ProxyStandIn:
    """An HTTP forward proxy (absolute-form requests, as httpx sends for http:// targets);
    `seen` lists the Bot API methods it forwarded. One connection per request (HTTP/1.0), so
    stopping it really cuts the bot off."""

    def __init__(self, port: int = 0) -> None:
        self.seen: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Forward(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                return None

            def _forward(self) -> None:
                target = urlsplit(self.path)
                if target.scheme != "http" or target.hostname != "127.0.0.1":
                    self.send_error(403, "this stand-in only forwards to 127.0.0.1")
                    return
                proxy.seen.append(target.path.rsplit("/", 1)[-1])
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("proxy-connection", "connection")}
                upstream.request(self.command, target.path + (f"?{target.query}" if
                                                              target.query else ""),
                                 body=body, headers=headers)
                reply = upstream.getresponse()
                data = reply.read()
                self.send_response(reply.status)
                for key, value in reply.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                upstream.close()

            do_GET = do_POST = _forward

        return Forward

    def start(self) -> ProxyStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def proxy_stand_in(port: int = 0) -> Iterator[ProxyStandIn]:
    """A running ProxyStandIn, stopped afterwards."""
    proxy = ProxyStandIn(port).start()
    try:
        yield proxy
    finally:
        proxy.stop()


@contextmanager
def token_rejecting_api() -> Iterator[str]:
    """A Bot API that answers 401 Unauthorized to everything, as Telegram does to a revoked
    token; yields its base URL (for TELEGRAM_API_URL)."""
    class Reject(BaseHTTPRequestHandler):
        def log_message(self, *_: object) -> None:
            return None

        def _reject(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.dumps({"ok": False, "error_code": 401,
                               "description": "Unauthorized"}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _reject

    server = ThreadingHTTPServer(("127.0.0.1", 0), Reject)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
