"""The servers people run: gunicorn in production and runserver for `make demo` both load
``config.wsgi`` (WSGI_APPLICATION), and it serves a page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_gunicorn_serves_the_wsgi_application(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop("PYTEST_VERSION", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5) as r:
                    assert r.status == 200
                    body = r.read().decode()
                break
            except OSError as error:
                if server.poll() is not None:
                    output = server.stdout.read().decode() if server.stdout else ""
                    raise AssertionError(output) from error
                time.sleep(0.1)
        assert "Sign in" in body
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_runserver_loads_the_wsgi_application() -> None:
    from django.core.servers.basehttp import get_internal_wsgi_application

    assert callable(get_internal_wsgi_application())
