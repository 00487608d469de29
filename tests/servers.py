"""Throwaway servers for tests: a private PostgreSQL cluster and a Chroma server, each on a free port.

Why here and not in each test file: the catalog tests, the keyword tests and the Chroma-server tests
all need the same two servers ("several API workers share them"); starting each once per session and
sharing the code that starts them keeps them alike and cheap. conftest.py wraps these context managers
in session-scoped fixtures; tests that use them carry the ``servers`` marker.

Both servers listen on 127.0.0.1 only, keep their data in a temp folder, are waited for with a bound
(PostgreSQL: ``pg_ctl -w``; Chroma: its heartbeat) and stopped at the end. When the binaries are
missing, the test skips and says which package provides them (CI installs them: .ci/postgres-deps;
the ``chroma`` executable ships with the chromadb package).

PostgreSQL refuses to run as root, and CI runs as root: the cluster then belongs to an unprivileged
user (``postgres``, which Debian's package creates, else ``nobody``), with its folder in the system
temp dir (pytest's own temp dirs are private to root) and every server process started as that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

PG_INSTALL_HINT = ("PostgreSQL server binaries (initdb, pg_ctl) not found: tests against PostgreSQL skipped. "
                   "Install them with .ci/postgres-deps (Debian: apt-get install postgresql) "
                   "or point TRACUU_PG_BINDIR at their folder")
PSYCOPG_HINT = "psycopg is not installed: tests against PostgreSQL skipped (pip install -e '.[pg]')"
CHROMA_HINT = ("the `chroma` executable is not installed (it ships with the chromadb package): "
               "Chroma-server tests skipped")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- Chroma


def chroma_executable() -> str | None:
    """``chroma`` next to this Python (the venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / "chroma"
    if beside.exists() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("chroma")


@contextmanager
def chroma_server(folder: Path, timeout: float = 60.0) -> Iterator[str]:
    """Run ``chroma run --path folder/db --host 127.0.0.1 --port P``; yield its URL; stop it."""
    exe = chroma_executable()
    if exe is None:
        pytest.skip(CHROMA_HINT)
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = folder / "chroma-server.log"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_SERVER_NOFILE": "4096"}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [exe, "run", "--path", str(folder / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"chroma server exited with {proc.returncode}: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"chroma server not up after {timeout:.0f}s: {log_path.read_text(errors='replace')[-2000:]}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# --------------------------------------------------------------------------- PostgreSQL


def pg_bindir() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: $TRACUU_PG_BINDIR, else Debian's
    /usr/lib/postgresql/<newest>/bin, else wherever PATH finds ``pg_ctl``."""
    candidates: list[str] = []
    if os.environ.get("TRACUU_PG_BINDIR"):
        candidates.append(os.environ["TRACUU_PG_BINDIR"])
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: _version_key(Path(p).parent.name))
    candidates.extend(reversed(debian))
    found = shutil.which("pg_ctl")
    if found:
        candidates.append(str(Path(found).resolve().parent))
    for c in candidates:
        d = Path(c)
        if (d / "initdb").exists() and (d / "pg_ctl").exists() and (d / "postgres").exists():
            return d
    return None


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(p) for p in name.split(".") if p.isdigit()) or (0,)


def _server_user() -> pwd.struct_passwd | None:
    """The unprivileged account the cluster runs as when we are root; None: run as ourselves."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    pytest.skip("running as root and neither a 'postgres' nor a 'nobody' account exists: "
                "PostgreSQL refuses to run as root, tests against it skipped")


def _run_as(user: pwd.struct_passwd | None, cmd: list[str], **kw) -> subprocess.CompletedProcess:
    if user is not None:
        kw.update(user=user.pw_uid, group=user.pw_gid, extra_groups=[])
        kw["env"] = {**kw.get("env", os.environ), "HOME": user.pw_dir, "USER": user.pw_name, "LOGNAME": user.pw_name}
    return subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kw)


@contextmanager
def postgres_server(timeout: float = 60.0) -> Iterator[str]:
    """Start a private PostgreSQL cluster (trust auth, 127.0.0.1, a free port, durability off: it is
    thrown away); yield the URL of its ``postgres`` database for the superuser ``tracuu``; stop it
    and delete its folder."""
    bindir = pg_bindir()
    if bindir is None:
        pytest.skip(PG_INSTALL_HINT)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip(PSYCOPG_HINT)
    user = _server_user()
    folder = Path(tempfile.mkdtemp(prefix="tracuu-pg-"))
    data = folder / "data"
    if user is not None:
        os.chown(folder, user.pw_uid, user.pw_gid)
    port = free_port()
    started = False
    try:
        done = _run_as(user, [str(bindir / "initdb"), "-D", str(data), "-U", "tracuu", "--auth=trust",
                              "-E", "UTF8", "--locale=C", "--no-sync"], timeout=timeout)
        if done.returncode != 0:
            pytest.fail(f"initdb failed ({done.returncode}): {(done.stdout + done.stderr)[-2000:]}")
        opts = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={folder} "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        done = _run_as(user, [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"),
                              "-w", "-t", str(int(timeout)), "-o", opts, "start"], timeout=timeout + 10)
        if done.returncode != 0:
            log = (folder / "server.log").read_text(errors="replace")[-2000:] if (folder / "server.log").exists() else ""
            pytest.fail(f"pg_ctl start failed ({done.returncode}): {(done.stdout + done.stderr)[-1000:]} {log}")
        started = True
        yield f"postgresql://tracuu@127.0.0.1:{port}/postgres"
    finally:
        if started:
            _run_as(user, [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


def create_database(admin_url: str, name: str) -> str:
    """A new empty database on the server of ``admin_url``; returns its URL.

    Its default collation is ICU's en-US where the server has ICU (Debian's has): text then sorts
    as on a typical deployment, not by code point, so a test sees it if the catalog's ordering
    leaned on the server's locale (index/catalog/pg.py makes catalog columns ``COLLATE "C"``)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        try:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\' '
                         "LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'")
        except psycopg.Error:  # no ICU in this build: the cluster's own (C) collation
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING \'UTF8\'')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, name: str) -> None:
    """Drop a database made by :func:`create_database`, closing whatever is still connected to it."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
