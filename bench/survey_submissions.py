"""Issue 4: 200 respondents answering a 40-question survey at once, under gunicorn.

For SQLite and then PostgreSQL: starts gunicorn on loopback (4 workers x 8 threads), and
200 simulated respondents (threads of this process) each open the survey, choose their
agency, answer four sections (a role question and 39 agreement statements), and send
their answers; one in ten presses "Send" twice at once, as a double click does. Prints
responses per second, the p95 latency of every request, and the responses stored
afterwards, which must equal those acknowledged (none lost, none doubled). In the same
run, against the same server, a bare Django view (the same middleware, no work) is
loaded by 200 clients: its throughput is the baseline, and the ratio is printed.

PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/howgood_bench_submit).
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "200"))
BARE_REQUESTS = 20  # per client of the baseline
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/howgood_bench_submit")
AGREE = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
ROLES = ["social_worker", "nurse", "teacher", "police", "other"]


def _env(database_url: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "HOWGOOD_ENV": "development", "DEBUG": "0"}
    env["DB_CONN_MAX_AGE"] = "60"  # persistent connections, as in production
    env["PYTHONPATH"] = f"{HERE}{os.pathsep}{ROOT}"
    env["DJANGO_SETTINGS_MODULE"] = "_bench_settings"
    env.pop("PYTEST_VERSION", None)
    env["PYTHONWARNINGS"] = "ignore::UserWarning"  # no collected static files here
    return env


def prepare(database_url: str) -> tuple[str, list[int], list[list[str]]]:
    """A fresh database with one open 40-question survey: (link token, agency ids, sections)."""
    script = r"""
import io, json
import django
django.setup()
from django.core.management import call_command
call_command("flush", interactive=False, verbosity=0)
from django.utils import timezone
from howgood.partnerships.models import Agency, Partnership
from howgood.questionnaires.services import questionnaire_import, version_publish
from howgood.surveys.services import survey_create
from tests.questionnaires.workbooks import workbook
AGREE = __AGREE__
ROLES = __ROLES__
rows = [["begin_group", "about", "About you"], ["select_one role", "role", "Your role", "", "yes"], ["end_group", "about"]]
for s in range(3):
    rows.append(["begin_group", f"s{s}", f"Section {s + 1}"])
    for i in range(13):
        rows.append(["select_one agree5", f"q{s * 13 + i}", f"Statement {s * 13 + i + 1}", "", "yes"])
    rows.append(["end_group", f"s{s}"])
choices = [["agree5", a, a] for a in AGREE] + [["role", r, r] for r in ROLES]
p = Partnership.objects.create(name="Bench", slug="bench")
agencies = [Agency.objects.create(partnership=p, name=f"Agency {k}", headcount=100) for k in range(6)]
version = version_publish(version=questionnaire_import(partnership=p, files={"b.xlsx": workbook(rows, choices)}, actor=None, kind="staff_survey"), actor=None)
today = timezone.localdate()
survey = survey_create(partnership=p, title="Bench", version=version, audience=agencies, opens_on=today, closes_on=today, access_mode="link", actor=None)
sections = [[i.name for i in section.items.order_by("order")] for section in version.sections.order_by("order")]
print(json.dumps({"token": survey.link_token, "agencies": [a.pk for a in agencies], "sections": sections}))
""".replace("__AGREE__", repr(AGREE)).replace("__ROLES__", repr(ROLES))
    env = _env(database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    import json

    data = json.loads(out.strip().splitlines()[-1])
    return data["token"], data["agencies"], data["sections"]


def count_stored(database_url: str, token: str) -> int:
    script = (
        "import django; django.setup(); from howgood.surveys.models import Response; "
        f"print(Response.objects.filter(survey__link_token={token!r}, complete=True).count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return int(out.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(database_url: str) -> Iterator[int]:
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--backlog",
            "1024",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=_env(database_url),
    )
    try:
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


class Browser:
    """One respondent's connection and cookies; records each request's latency."""

    def __init__(self, port: int, latencies: list[float]) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.latencies = latencies
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        except (ConnectionError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        self.latencies.append(time.perf_counter() - start)
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else self.cookies.get("csrftoken", "")


def respondent(
    number: int,
    port: int,
    token: str,
    agencies: list[int],
    sections: list[list[str]],
    latencies: list[float],
    acknowledged: list[int],
    errors: list[str],
) -> None:
    try:
        b = Browser(port, latencies)
        status, _, page = b.request("GET", f"/s/{token}/")
        assert status == 200, f"start page {status}"
        csrf = b.csrf(page)
        status, location, _ = b.request(
            "POST",
            f"/s/{token}/",
            {"csrfmiddlewaretoken": csrf, "agency": str(agencies[number % len(agencies)])},
        )
        assert status == 302, f"start {status}"
        for index, names in enumerate(sections):
            form = {"csrfmiddlewaretoken": csrf, "_shown": " ".join(names)}
            for name in names:
                form[name] = (
                    ROLES[number % len(ROLES)]
                    if name == "role"
                    else AGREE[(number + len(name)) % len(AGREE)]
                )
            status, location, page = b.request("POST", f"/s/{token}/questions/{index}/", form)
            assert status == 302, f"section {index}: {status} {page[:300]}"
        status, _, page = b.request("GET", f"/s/{token}/check/")
        assert status == 200, f"check page {status}"
        if number % 10 == 0:
            # A double click: two sends of the same answers at once, on two connections.
            twin = Browser(port, latencies)
            twin.cookies = dict(b.cookies)
            results: list[int] = []
            sends = [
                threading.Thread(
                    target=lambda who=who: results.append(
                        who.request("POST", f"/s/{token}/check/", {"csrfmiddlewaretoken": csrf})[0]
                    )
                )
                for who in (b, twin)
            ]
            for t in sends:
                t.start()
            for t in sends:
                t.join()
            assert all(s == 302 for s in results), f"double send {results}"
        else:
            status, location, _ = b.request(
                "POST", f"/s/{token}/check/", {"csrfmiddlewaretoken": csrf}
            )
            assert status == 302 and location.endswith("/done/"), f"send {status} {location}"
        acknowledged.append(number)
    except Exception as error:  # counted and printed, never hidden
        errors.append(f"respondent {number}: {type(error).__name__}: {error}")


def bare_load(port: int, clients: int) -> float:
    """Requests per second of the bare view with ``clients`` concurrent clients."""
    latencies: list[float] = []

    def run() -> None:
        b = Browser(port, latencies)
        for _ in range(BARE_REQUESTS):
            status, _, _ = b.request("GET", "/bench/bare/")
            assert status == 200

    threads = [threading.Thread(target=run) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - start)


def run(name: str, database_url: str) -> None:
    token, agencies, sections = prepare(database_url)
    with gunicorn(database_url) as port:
        bare_load(port, 20)  # warm every worker
        bare_rps = bare_load(port, RESPONDENTS)
        latencies: list[float] = []
        acknowledged: list[int] = []
        errors: list[str] = []
        threads = [
            threading.Thread(
                target=respondent,
                args=(n, port, token, agencies, sections, latencies, acknowledged, errors),
            )
            for n in range(RESPONDENTS)
        ]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    stored = count_stored(database_url, token)
    requests_per_second = len(latencies) / elapsed
    p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else float("nan")
    print(f"{name}: {RESPONDENTS} respondents at once, 40 questions in 4 sections")
    print(
        f"  completed responses:   {len(acknowledged) / elapsed:8.1f} per second "
        f"({len(acknowledged)} in {elapsed:.1f} s)"
    )
    print(
        f"  survey requests:       {requests_per_second:8.1f} per second, p95 latency {p95 * 1000:.0f} ms"
    )
    print(f"  bare Django view:      {bare_rps:8.1f} requests per second (same server, same run)")
    print(f"  ratio bare / survey:   {bare_rps / requests_per_second:8.2f}x (requests per second)")
    verdict = (
        "none lost, none doubled" if stored == len(acknowledged) and not errors else "MISMATCH"
    )
    print(f"  stored afterwards:     {stored} of {len(acknowledged)} acknowledged -> {verdict}")
    for error in errors[:5]:
        print(f"  error: {error}")


def main() -> None:
    sqlite = Path(tempfile.mkdtemp(prefix="howgood-bench-")) / "submit.sqlite3"
    run("SQLite", f"sqlite:///{sqlite}")
    import psycopg

    name = urllib.parse.urlparse(PG_URL).path.lstrip("/")
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    run("PostgreSQL", PG_URL)


if __name__ == "__main__":
    main()
