"""N Streamlit replicas behind nginx on 127.0.0.1: `python tools/serve.py --replicas 2 [--port 8080] [--db DB]`.

Each replica is `streamlit run dashboard.py` on its own free port with the same cookie secret
(server.cookieSecret, given as STREAMLIT_SERVER_COOKIE_SECRET),
so any replica accepts a session's cookies. nginx (Debian's /usr/sbin/nginx, run in the foreground as this
user with a generated config in a work folder: pid, logs and temp files all there) keeps each browser on one
replica: a browser's first request goes to the next replica in turn, the response sets the cookie `atlas_replica`
to that replica's name, and every later request of that browser, the websocket included, goes to the replica
its cookie names (ip_hash would send every user on one machine or behind one proxy to one replica). Websocket
upgrade headers, HTTP/1.1 to the replicas and a long read timeout keep /_stcore/stream open. Ctrl-C (or
SIGTERM) stops nginx and every replica. deploy/README.md describes the same layout with systemd units.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = os.environ.get("ATLAS_NGINX", "/usr/sbin/nginx")
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
HEALTH = "/_stcore/health"


def free_port() -> int:
    """A port nobody listens on at 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def routing(replicas: list[str]) -> str:
    """The maps and upstreams that keep each browser on one of `replicas` (host:port), in nginx syntax: a new
    browser goes to the next replica in turn and gets a cookie naming it (deploy/nginx.conf.template)."""
    names = [f"r{i}" for i in range(len(replicas))]
    server = "server {} max_fails=3 fail_timeout=10s;"
    lines = ["    map $cookie_atlas_replica $atlas_upstream {"]
    lines += [f"        {name} atlas_{name};" for name in names] + ["        default atlas;", "    }"]
    lines += ["    map $upstream_addr $atlas_replica_name {"]
    lines += [f"        {addr} {name};" for addr, name in zip(replicas, names)] + ['        default "";', "    }"]
    lines += ["    map $cookie_atlas_replica $atlas_set_cookie {"]
    lines += [f'        {name} "";' for name in names]
    lines += ['        default "atlas_replica=$atlas_replica_name; Path=/; HttpOnly; SameSite=Lax";', "    }"]
    lines += ["    upstream atlas {"] + [f"        {server.format(addr)}" for addr in replicas] + ["    }"]
    for addr, name in zip(replicas, names):
        lines += [f"    upstream atlas_{name} {{", f"        {server.format(addr)}"]
        lines += [f"        server {other} backup;" for other in replicas if other != addr] + ["    }"]
    return "\n".join(lines)


def nginx_config(work: Path, listen: int, replicas: list[int]) -> str:
    """The nginx configuration for `replicas` (ports on 127.0.0.1), from deploy/nginx.conf.template."""
    text = TEMPLATE.read_text()
    values = {
        "WORK": str(work),
        "LISTEN": f"127.0.0.1:{listen}",
        "ROUTING": routing([f"127.0.0.1:{port}" for port in replicas]),
    }
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def healthy(url: str, timeout: float = 2) -> bool:
    """True when `url` answers 200 "ok" (Streamlit's health check)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except OSError:
        return False


@dataclass
class Cluster:
    """Running replicas and the proxy in front of them."""

    work: Path
    port: int
    replica_ports: list[int]
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop nginx first (no new requests), then every replica; each by its own process id."""
        for proc in reversed(self.processes):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM if proc.args[0] != NGINX else signal.SIGQUIT)
        for proc in reversed(self.processes):
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    """Until `url` is healthy; fails with the end of the log when the process exits or time runs out."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if healthy(url):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not become healthy; {log}:\n{log.read_text(errors='replace')[-2000:]}")


def start(
    replicas: int,
    *,
    port: int | None = None,
    db: Path | None = None,
    work: Path | None = None,
    env: dict | None = None,
    cookie_secret: str | None = None,
) -> Cluster:
    """Start `replicas` Streamlit processes and nginx in front of them; healthy when this returns."""
    work = Path(work or tempfile.mkdtemp(prefix="atlas-serve-"))
    (work / "logs").mkdir(parents=True, exist_ok=True)
    cluster = Cluster(work, port or free_port(), [free_port() for _ in range(replicas)])
    secret = cookie_secret or os.environ.get("ATLAS_COOKIE_SECRET") or secrets.token_urlsafe(32)
    # One secret for all: a session's XSRF and auth cookies are valid on every replica. Streamlit refuses it
    # as a command-line flag (it would show in `ps`), so it goes in the environment.
    child_env = dict(os.environ, **(env or {}), STREAMLIT_SERVER_COOKIE_SECRET=secret)
    if db:
        child_env["ATLAS_DB"] = str(Path(db).resolve())
    try:
        for i, rport in enumerate(cluster.replica_ports):
            log = work / "logs" / f"replica-{i}.log"
            cmd = [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "dashboard.py"),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(rport),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ]
            cluster.processes.append(
                subprocess.Popen(
                    cmd, cwd=ROOT, env=child_env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
                )
            )
        for i, rport in enumerate(cluster.replica_ports):
            wait_healthy(f"http://127.0.0.1:{rport}{HEALTH}", cluster.processes[i], work / "logs" / f"replica-{i}.log")
        conf = work / "nginx.conf"
        conf.write_text(nginx_config(work, cluster.port, cluster.replica_ports))
        (work / "tmp").mkdir(exist_ok=True)
        log = work / "logs" / "nginx.out"
        cluster.processes.append(
            subprocess.Popen(
                [NGINX, "-p", str(work), "-c", str(conf)],
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        wait_healthy(f"{cluster.url}{HEALTH}", cluster.processes[-1], log, 30)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="the proxy's port on 127.0.0.1")
    parser.add_argument("--db", type=Path, default=None, help="the database (default $ATLAS_DB)")
    parser.add_argument("--work", type=Path, default=None, help="nginx config, logs, pid (default a temp folder)")
    args = parser.parse_args(argv)
    cluster = start(args.replicas, port=args.port, db=args.db, work=args.work)
    print(
        f"Partner Atlas: {cluster.url} -> {args.replicas} replicas on ports "
        f"{', '.join(map(str, cluster.replica_ports))}; logs in {cluster.work / 'logs'}. Ctrl-C stops.",
        flush=True,
    )
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    try:
        while not stopping and all(p.poll() is None for p in cluster.processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
