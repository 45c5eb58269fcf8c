"""A throwaway PostgreSQL server for the tests: initdb in a temp dir, 127.0.0.1 only, stopped after.

Uses the machine's PostgreSQL binaries (PG_BIN, or `pg_config --bindir`, or
/usr/lib/postgresql/*/bin, or PATH). PostgreSQL refuses to run as root, so as root the server
runs as the `postgres` system user. `make test` sets BANGFU_REQUIRE_POSTGRES=1: then a missing
PostgreSQL fails the run instead of skipping the PostgreSQL tests.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

USER = "bangfu"


def find_bindir() -> Path | None:
    """The directory with initdb and pg_ctl, or None."""
    candidates = [os.environ.get("PG_BIN", "")]
    if pg_config := shutil.which("pg_config"):
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(out.stdout.strip())
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).resolve().parent))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root needs `runuser` to start PostgreSQL as `postgres`")
    return [runuser, "-u", "postgres", "--"]


@contextmanager
def postgres_server(bindir: Path) -> Iterator[str]:
    """Start a server; yield its SQLAlchemy URL (database `postgres`, user bangfu, trust)."""
    prefix = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="bangfu-pg-"))
    data = root / "data"
    if prefix:
        shutil.chown(root, "postgres")
    port = _free_port()
    run = {"capture_output": True, "text": True, "check": True}
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", USER, "-A",
                        "trust", "-E", "UTF8", "--locale=C", "--no-sync"], **run)  # type: ignore[call-overload]
        options = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root}"
                   " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", options,
                        "-l", str(root / "server.log"), "-w", "-t", "30", "start"], **run)  # type: ignore[call-overload]
        try:
            yield f"postgresql+psycopg://{USER}@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                            "-w", "stop"], capture_output=True, check=False)
    finally:
        shutil.rmtree(root, ignore_errors=True)
