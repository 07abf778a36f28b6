#!/usr/bin/env python
"""A round-robin HTTP proxy for the deadline-rush benchmark (bench/load_rush.py),
standing in for nginx or Caddy when neither is installed. Not for production.

    python bench/load_proxy.py --port 8080 127.0.0.1:8001 127.0.0.1:8002

Each request goes to the next web node in turn (a new loopback connection
per request, the whole body read first, as a buffering proxy does); the
answer names its node in `X-Served-By` (0, 1, ...). A request carrying
`X-Bench-Node: n` goes to node n instead: the benchmark uses it to make the
consecutive steps of one browser's upload alternate between the nodes
exactly, whatever the other browsers do meanwhile.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "content-length"}


def make_handler(backends: list[tuple[str, int]]):
    turn = itertools.count()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _node(self) -> int:
            pinned = self.headers.get("X-Bench-Node")
            if pinned is not None and pinned.isdigit():
                return int(pinned) % len(backends)
            with lock:
                return next(turn) % len(backends)

        def _forward(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            node = self._node()
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k != "X-Bench-Node"}
            if body is not None:
                headers["Content-Length"] = str(len(body))
            connection = http.client.HTTPConnection(*backends[node], timeout=120)
            try:
                connection.request(self.command, self.path, body=body, headers=headers)
                answer = connection.getresponse()
                data = answer.read()
            except OSError as exc:
                self.send_error(502, f"node {node}: {exc}")
                return
            finally:
                connection.close()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("X-Served-By", str(node))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _forward

        def log_message(self, *_args):
            return None

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # a burst of browsers must not meet a refused connection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("backends", nargs="+", help="host:port of each web node")
    args = parser.parse_args()
    backends = [(host, int(port)) for host, port in (b.rsplit(":", 1) for b in args.backends)]
    server = Server(("127.0.0.1", args.port), make_handler(backends))
    server.serve_forever()


if __name__ == "__main__":
    main()
