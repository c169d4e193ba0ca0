"""The production web server's settings (config/gunicorn.conf.py): the app and the document
libraries are loaded once in the master, and workers are recycled."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
CONF = str(ROOT / "config" / "gunicorn.conf.py")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HOWGOOD_ENV": "development",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    for name in ("PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE", "GUNICORN_CMD_ARGS"):
        env.pop(name, None)
    return env


def test_the_settings_preload_the_app_and_recycle_workers(tmp_path: Path) -> None:
    printed = subprocess.run(
        [GUNICORN, "-c", CONF, "--print-config", "config.wsgi"],
        cwd=ROOT,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings = {
        line.split("=", 1)[0].strip(): line.split("=", 1)[1].strip()
        for line in printed.splitlines()
        if "=" in line
    }
    assert settings["preload_app"] == "True"
    assert settings["max_requests"] == "1000"
    assert settings["max_requests_jitter"] == "100"
    assert settings["workers"] == "3"


def test_gunicorn_serves_the_sign_in_page_with_these_settings(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [GUNICORN, "-c", CONF, "--bind", f"127.0.0.1:{port}", "--workers", "2", "config.wsgi"],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in/", timeout=5) as page:
                    body = page.read().decode()
                    status = page.status
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "gunicorn did not answer within a minute"
                time.sleep(0.3)
        assert status == 200
        assert "Sign in" in body
    finally:
        server.terminate()
        server.wait(timeout=30)
