"""A throwaway PostgreSQL cluster for the tests (Debian's `postgresql` server binaries).

initdb with scram-sha-256 into a temporary folder, its own port and socket folder, listening on
127.0.0.1 only; as root through the `postgres` system user (pg_ctl refuses to run as root). Removed
when the test session ends. Used when TRANSLATE_TEST_DATABASE_URL names no server of your own.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit


def server_bin() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if candidates:
        return Path(candidates[0]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise RuntimeError(
        "PostgreSQL server binaries not found (install Debian's 'postgresql': scripts/setup)"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    folder: Path
    port: int
    password: str
    bin: Path
    as_root: bool

    @property
    def url(self) -> str:
        return f"postgresql://postgres:{self.password}@127.0.0.1:{self.port}/postgres"

    def _run(self, *argv: str) -> subprocess.CompletedProcess:
        cmd = [str(a) for a in argv]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    def stop(self) -> None:
        self._run(self.bin / "pg_ctl", "-D", self.folder / "data", "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster() -> Cluster:
    binary = server_bin()
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="translate-pg-"))
    password = secrets.token_hex(12)
    (folder / "pw").write_text(password + "\n", encoding="utf-8")
    (folder / "sock").mkdir()
    cluster = Cluster(folder, free_port(), password, binary, as_root)
    if as_root:
        shutil.chown(folder, "postgres")
        for p in folder.rglob("*"):
            shutil.chown(p, "postgres")
    init = cluster._run(
        binary / "initdb",
        "-D",
        folder / "data",
        "--auth=scram-sha-256",
        f"--pwfile={folder / 'pw'}",
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--locale=C.UTF-8",
    )
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
    options = (
        f"-p {cluster.port} -k {folder / 'sock'} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    start = cluster._run(
        binary / "pg_ctl", "-D", folder / "data", "-l", folder / "log", "-w", "-o", options, "start"
    )
    if start.returncode != 0:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {start.stderr.strip()} {log[-500:]}")
    return cluster


def with_schema(url: str, schema: str) -> str:
    parts = urlsplit(url)
    query = [q for q in parts.query.split("&") if q and not q.startswith("schema=")]
    query.append(urlencode({"schema": schema}))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "&".join(query), ""))


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    from translate.store.location import parse_location

    conninfo = parse_location(url).conninfo
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        for role in ("translator", "editor", "batch", "admin"):
            name = f"{schema}_{role}"
            if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone():
                conn.execute(f'DROP OWNED BY "{name}" CASCADE')
                conn.execute(f'DROP ROLE "{name}"')
