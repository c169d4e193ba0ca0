from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_pages_carry_csp_without_unsafe_inline_and_other_headers() -> None:
    response = Client().get("/sign-in/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cache-Control"].startswith("no-store")


def test_check_deploy_is_silent_with_production_settings() -> None:
    env = {
        **os.environ,
        "HOWGOOD_ENV": "production",
        "SECRET_KEY": "k" * 64 + "-not-a-real-secret-but-long-enough",
        "ALLOWED_HOSTS": "howgood.example",
        "DATABASE_URL": "sqlite:////tmp/howgood-check.sqlite3",
    }
    env.pop("PYTEST_VERSION", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_sets_hsts_and_secure_cookies() -> None:
    env = {
        **os.environ,
        "HOWGOOD_ENV": "production",
        "SECRET_KEY": "s" * 60,
        "ALLOWED_HOSTS": "h.example",
    }
    env.pop("PYTEST_VERSION", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings'); django.setup();"
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.DEBUG)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    hsts, session_secure, csrf_secure, redirect, debug = out.stdout.split()
    assert (
        int(hsts) >= 31536000
        and session_secure == csrf_secure == redirect == "True"
        and debug == "False"
    )
