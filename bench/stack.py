"""The production set-up of `make serve`, started process by process so that benchmarks can load and kill it.

A throwaway database (``trygg_bench_<pid>`` on a PostgreSQL server, or a SQLite file), a throwaway var/ folder
that every process shares as its file storage, the demo data, and any number of gunicorn servers (on free loopback
ports) and background workers. They share nothing else. Everything is stopped, and the database dropped, on exit.
"""

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parent.parent
BIN = REPO / ".venv" / "bin"


class Stack:
    def __init__(self, server_url: str | None, web_workers: int = 2, env: dict | None = None):
        self.server_url = server_url
        self.web_workers = web_workers
        self.folder = Path(tempfile.mkdtemp(prefix="trygg-bench-"))
        self.name = f"trygg_bench_{os.getpid()}"
        self.processes: dict[str, subprocess.Popen] = {}
        self.ports: dict[str, int] = {}
        database_url = (
            urlunsplit(urlsplit(server_url)._replace(path=f"/{self.name}"))
            if server_url
            else f"sqlite:///{self.folder / 'trygg.sqlite3'}"  # settings make it WAL, IMMEDIATE, busy timeout
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "trygg.settings",
            "DATABASE_URL": database_url,
            "TRYGG_VAR_DIR": str(self.folder),
            "MEDIA_ROOT": str(self.folder / "media"),
            "STATIC_ROOT": str(self.folder / "static"),
            "TRYGG_PROFILE": "production",
            "SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "PYTHONUNBUFFERED": "1",
            # Workers write each e-mail to their log, where ``mail`` counts them by Message-ID.
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            **(env or {}),
        }

    def __enter__(self):
        if self.server_url:
            with psycopg.connect(self.server_url, autocommit=True) as server:
                server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        self.manage("load_demo")
        return self

    def __exit__(self, *exc):
        for name in list(self.processes):
            self.stop(name)
        if self.server_url:
            with psycopg.connect(self.server_url, autocommit=True) as server:
                server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))
        shutil.rmtree(self.folder, ignore_errors=True)

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [BIN / "python", "manage.py", *args], cwd=REPO, env=self.env, capture_output=True, text=True, check=False
        )
        if done.returncode:
            sys.stderr.write(done.stdout + done.stderr)
            raise RuntimeError(f"manage.py {args[0]} failed")
        return done.stdout

    def setup_load_users(self, staff_sessions: int) -> dict:
        done = subprocess.run(
            [BIN / "python", "bench/load_setup.py", str(staff_sessions)],
            cwd=REPO,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.splitlines()[-1])

    def mail(self, settle: float = 60) -> dict:
        """Wait (at most ``settle`` seconds) for the queued e-mails to go, then count them: in the database, and as
        the workers' console backend wrote them out (by Message-ID, so a message sent twice shows)."""
        deadline = time.monotonic() + settle
        while True:
            counts = json.loads(self.manage("shell", "-c", MAIL_COUNT).splitlines()[-1])
            if counts["waiting"] == 0 or time.monotonic() > deadline:
                break
            time.sleep(1)
        written = Counter()
        for log in self.folder.glob("worker*.log"):
            written.update(MESSAGE_ID.findall(log.read_text(errors="replace")))
        counts["written"] = len(written)
        counts["twice"] = sum(1 for n in written.values() if n > 1)
        return counts

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def start_web(self, name: str) -> str:
        """A gunicorn server like `make serve`'s on a free loopback port (the same port again after a restart)."""
        port = self.ports.setdefault(name, free_port())
        self._start(
            name,
            [
                BIN / "gunicorn",
                "trygg.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.web_workers),
                "--no-control-socket",
            ],
        )
        url = f"http://127.0.0.1:{port}"
        wait_ready(url, self.processes[name])
        return url

    def start_worker(self, name: str) -> None:
        self._start(name, [BIN / "python", "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"])

    def _start(self, name: str, command: list) -> None:
        with self.log(name).open("a") as log:
            self.processes[name] = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def kill(self, name: str) -> None:
        """SIGKILL the process and its children (gunicorn's workers), as a crash or the OOM killer would."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


MESSAGE_ID = re.compile(r"^Message-ID: <([0-9a-f-]+)@", re.MULTILINE)
MAIL_COUNT = """
import json
from trygg.core.jobs.models import OutgoingMail as M
print(json.dumps({"queued": M.objects.count(), "sent": M.objects.filter(state="sent").count(),
                  "waiting": M.objects.filter(state__in=["pending", "sending"]).count()}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")
