"""Hostile HTTP clients against a real server: how much they cost it, measured (issue 13).

    python bench/hostile_http.py [--gb 4]

Starts ``tracuu``'s app under uvicorn on 127.0.0.1:<free port>, with the options ``tracuu
serve`` uses (``api/server.py``), over an empty data directory (hash embedder), and plays:

1. a ``--gb`` GB chunked upload with no key; 2. the same with a wrong key; 3. the same with the
   right key (cap: ``TRACUU_MAX_UPLOAD_MB``, 50 by default); 4. a client that never finishes
   its headers; 5. a client that trickles a body. For 1-3 the client sends as fast as it can
   until the server answers and closes: the table gives the status, how many bytes the client
   got into the socket (what the server *read* is less: the rest sat in kernel buffers), the
   seconds to the answer, and the disk the data dir used afterwards. For 4-5: seconds until the
   server closed the connection (header clock ``TRACUU_HEADER_TIMEOUT_S``, body clock
   ``TRACUU_REQUEST_TIMEOUT_S``; set them low to measure quickly). Only loopback traffic;
   every loop is bounded. Nothing is asserted; it prints a table.
"""

from __future__ import annotations

import argparse
import os
import select
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BOUNDARY = b"bench-boundary"
CHUNK = 64 * 1024


def start_server(data_dir: Path):
    import uvicorn
    from tracuu.api.config import Settings, http_settings
    from tracuu.api.http import create_app
    from tracuu.api.server import uvicorn_options
    from tracuu.api.service import Tracuu

    svc = Tracuu(Settings.from_env(data_dir=data_dir, embed_model="hash", chroma_url=""))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(create_app(svc), log_level="error", lifespan="off", access_log=False,
                            **uvicorn_options(http_settings()))
    srv = uvicorn.Server(config)
    threading.Thread(target=srv.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    return srv, sock.getsockname()[1]


def flood(port: int, total: int, headers: bytes) -> tuple[str, int, float]:
    """Send a chunked multipart upload of ``total`` bytes until the server answers; (status, sent, s)."""
    t0 = time.perf_counter()
    conn = socket.create_connection(("127.0.0.1", port))
    conn.sendall(b"POST /api/documents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n" + headers
                 + b"Content-Type: multipart/form-data; boundary=" + BOUNDARY + b"\r\n\r\n")
    part = (b"--" + BOUNDARY + b'\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n')
    conn.sendall(b"%x\r\n%s\r\n" % (len(part), part))
    block = b"%x\r\n%s\r\n" % (CHUNK, b"a" * CHUNK)
    sent, answer = len(part), b""
    conn.settimeout(10)
    while sent < total:
        if select.select([conn], [], [], 0)[0]:  # the server answered (or closed)
            try:
                answer = conn.recv(65536)
            except OSError:
                pass
            break
        try:
            conn.sendall(block)
        except OSError:  # closed by the server, or it stopped reading for 10 s
            break
        sent += CHUNK
    seconds = time.perf_counter() - t0
    if not answer:
        try:
            answer = conn.recv(65536)
        except OSError:
            pass
    conn.close()
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace") or "(connection closed, no answer)"
    return status, sent, seconds


def time_to_close(port: int, first: bytes) -> float:
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(first)
        conn.settimeout(700)
        try:
            while conn.recv(65536):
                pass
        except OSError:
            pass
    return time.perf_counter() - t0


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gb", type=float, default=4.0)
    args = ap.parse_args()
    os.environ.setdefault("TRACUU_API_KEY", "bench-key")
    folder = Path(tempfile.mkdtemp(prefix="tracuu-hostile-"))
    try:
        srv, port = start_server(folder / "data")
        total = int(args.gb * 1024**3)
        rows = []
        for label, hdr in (("no key", b""), ("wrong key", b"X-API-Key: wrong\r\n"),
                           ("right key", b"X-API-Key: " + os.environ["TRACUU_API_KEY"].encode() + b"\r\n")):
            status, sent, s = flood(port, total, hdr)
            rows.append((f"{args.gb:g} GB chunked, {label}", status, f"{sent / 1024**2:.1f} MiB", f"{s:.2f}",
                         f"{du(folder / 'data') / 1024**2:.1f} MiB"))
        print(f"{'attack':32} {'answer':28} {'client sent':>12} {'seconds':>8} {'data dir':>10}")
        for r in rows:
            print(f"{r[0]:32} {r[1]:28} {r[2]:>12} {r[3]:>8} {r[4]:>10}")
        hs = time_to_close(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        print(f"{'headers never finished':32} closed after {hs:.2f} s (TRACUU_HEADER_TIMEOUT_S)")
        bs = time_to_close(port, b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                 b"Content-Length: 1000\r\n\r\n{")
        print(f"{'body trickled':32} closed after {bs:.2f} s (TRACUU_REQUEST_TIMEOUT_S)")
        srv.should_exit = True
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
