"""Issue 4: 200 respondents answering a 40-question survey at once, under gunicorn.

For SQLite and then PostgreSQL: starts gunicorn on loopback (4 workers x 8 threads), and
200 simulated respondents (threads of this process) each open the survey, choose their
agency, answer four sections (a role question and 39 agreement statements), and send
their answers; one in ten presses "Send" twice at once, as a double click does. Prints
responses per second, the p95 latency of every request, and the responses stored
afterwards, which must equal those acknowledged (none lost, none doubled). In the same
run, against the same server, a bare Django view (the same middleware, no work) is
loaded by 200 clients: its throughput is the baseline, and the ratio is printed.

CPU per response (issue 13): the server's CPU (user + system time of the gunicorn
processes) plus, on PostgreSQL, the database's (every ``postgres`` process, with what
the postmaster collected from backends that ended), read from /proc before and after
each phase and divided by the responses completed. The same is measured for a minimal
Django view in the same run (``/bench/minimal/``: validate 40 posted answers with a plain
form, insert the response, its submission and 40 answer rows in one transaction), and
the ratio printed, for two sequences: the bench's own (the start page, then POSTs and the check page: 8 requests) and a
browser's (every redirect followed and every page loaded, 13 requests). The database
figure counts every ``postgres`` process on the machine: on a shared machine other
people's work is counted too, so read it as an upper bound.

PostgreSQL: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/howgood_bench_submit).
BENCH_ONLY=postgresql skips SQLite; BENCH_RESPONDENTS sets the number of respondents.
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

from _setup import goal

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

RESPONDENTS = int(os.environ.get("BENCH_RESPONDENTS", "200"))
BARE_REQUESTS = 20  # per client of the baseline
MINIMAL_REQUESTS = 5  # responses per client of the minimal view
TICKS = os.sysconf("SC_CLK_TCK")
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


def prepare(database_url: str) -> tuple[str, str, list[int], list[list[str]]]:
    """A fresh database with two open 40-question surveys (one for HowGood's pages, one
    for the minimal view): (link token, minimal's token, agency ids, sections)."""
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
minimal = survey_create(partnership=p, title="Minimal", version=version, audience=agencies, opens_on=today, closes_on=today, access_mode="link", actor=None)
sections = [[i.name for i in section.items.order_by("order")] for section in version.sections.order_by("order")]
print(json.dumps({"token": survey.link_token, "minimal": minimal.link_token, "agencies": [a.pk for a in agencies], "sections": sections}))
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
    return data["token"], data["minimal"], data["agencies"], data["sections"]


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


def _stat(pid: int) -> tuple[str, int, float, float]:
    """(command, parent, own CPU seconds, CPU seconds of children it has reaped)."""
    with open(f"/proc/{pid}/stat") as f:
        text = f.read()
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return name, int(fields[1]), (utime + stime) / TICKS, (cutime + cstime) / TICKS


def _processes() -> dict[int, tuple[str, int, float, float]]:
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                found[int(entry)] = _stat(int(entry))
            except (OSError, ValueError, IndexError):
                continue  # ended meanwhile
    return found


def cpu_seconds(server_pid: int) -> tuple[float, float]:
    """(server, database) CPU seconds so far: the gunicorn master and its workers (with
    workers that ended), and every postgres process (with backends that ended)."""
    procs = _processes()
    server = procs[server_pid][2] + procs[server_pid][3] if server_pid in procs else 0.0
    server += sum(cpu for _, parent, cpu, _ in procs.values() if parent == server_pid)
    database = 0.0
    for name, parent, cpu, reaped in procs.values():
        if name == "postgres" or name.startswith("postgres:"):
            database += cpu
            if procs.get(parent, ("",))[0] != "postgres":
                database += reaped  # the postmaster: backends that have ended
    return server, database


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(database_url: str) -> Iterator[tuple[int, int]]:
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
        yield port, server.pid
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
    follow: bool = False,
) -> None:
    """One respondent. ``follow``: as a browser does, load the page each redirect names."""

    def then(location: str) -> None:
        if follow:
            status, _, _ = b.request("GET", urllib.parse.urlparse(location).path)
            assert status == 200, f"{location}: {status} {b.cookies}"

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
        then(location)
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
            if index < len(sections) - 1:
                then(location)
        status, _, page = b.request("GET", f"/s/{token}/check/")
        assert status == 200, f"check page {status}"
        if number % 10 == 0:
            # A double click: two sends of the same answers at once, on two connections.
            twin = Browser(port, latencies)
            twin.cookies = b.cookies  # one browser: one cookie jar for both tabs' answers
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
            then(f"/s/{token}/done/")
        else:
            status, location, _ = b.request(
                "POST", f"/s/{token}/check/", {"csrfmiddlewaretoken": csrf}
            )
            assert status == 302 and location.endswith("/done/"), f"send {status} {location}"
            then(location)
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


def minimal_load(port: int, token: str, agencies: list[int], sections: list[list[str]]) -> int:
    """Responses sent to the minimal view by ``RESPONDENTS`` clients at once."""
    latencies: list[float] = []
    sent: list[int] = []

    def run(number: int) -> None:
        b = Browser(port, latencies)
        for k in range(MINIMAL_REQUESTS):
            form = {"agency": str(agencies[number % len(agencies)])}
            for names in sections:
                for name in names:
                    form[name] = (
                        ROLES[number % len(ROLES)]
                        if name == "role"
                        else AGREE[(number + k + len(name)) % len(AGREE)]
                    )
            status, _, text = b.request("POST", f"/bench/minimal/{token}/", form)
            assert status == 200, f"minimal {status} {text[:300]}"
            sent.append(1)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(RESPONDENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(sent)


def respondents(
    port: int,
    token: str,
    agencies: list[int],
    sections: list[list[str]],
    follow: bool,
) -> tuple[list[float], list[int], list[str], float]:
    latencies: list[float] = []
    acknowledged: list[int] = []
    errors: list[str] = []
    threads = [
        threading.Thread(
            target=respondent,
            args=(n, port, token, agencies, sections, latencies, acknowledged, errors, follow),
        )
        for n in range(RESPONDENTS)
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, acknowledged, errors, time.perf_counter() - start


def _ms(cpu: tuple[float, float], responses: int) -> tuple[float, float, float]:
    server, database = (1000 * c / max(responses, 1) for c in cpu)
    return server, database, server + database


def _delta(before: tuple[float, float], after: tuple[float, float]) -> tuple[float, float]:
    return after[0] - before[0], after[1] - before[1]


def run(name: str, database_url: str) -> None:
    token, minimal_token, agencies, sections = prepare(database_url)
    postgres = database_url.startswith("postgres")
    with gunicorn(database_url) as (port, server_pid):
        bare_load(port, 20)  # warm every worker
        before = cpu_seconds(server_pid)
        bare_rps = bare_load(port, RESPONDENTS)
        bare_cpu = _delta(before, cpu_seconds(server_pid))
        before = cpu_seconds(server_pid)
        minimal_sent = minimal_load(port, minimal_token, agencies, sections)
        minimal_cpu = _delta(before, cpu_seconds(server_pid))
        before = cpu_seconds(server_pid)
        latencies, acknowledged, errors, elapsed = respondents(
            port, token, agencies, sections, follow=False
        )
        bench_cpu = _delta(before, cpu_seconds(server_pid))
        before = cpu_seconds(server_pid)
        b_latencies, b_acknowledged, b_errors, b_elapsed = respondents(
            port, token, agencies, sections, follow=True
        )
        browser_cpu = _delta(before, cpu_seconds(server_pid))
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
    print(
        f"  browser's sequence:    {len(b_acknowledged) / b_elapsed:8.1f} responses per second "
        f"({len(b_acknowledged)} in {b_elapsed:.1f} s, {len(b_latencies)} requests)"
    )
    label = "server + database" if postgres else "server (database in-process)"
    m_server, m_db, m_total = _ms(minimal_cpu, minimal_sent)
    print(f"  CPU per response, ms   {label}; shared machine: others' load is counted too")
    print(
        f"    minimal view:        {m_server:6.1f} + {m_db:5.1f} = {m_total:6.1f}  ({minimal_sent} responses)"
    )
    bare_ms = _ms(bare_cpu, BARE_REQUESTS * RESPONDENTS)[2]
    print(f"    bare view:           {bare_ms:6.2f} per request (the server and middleware alone)")
    for what, cpu, count, made in (
        ("bench sequence", bench_cpu, len(acknowledged), len(latencies)),
        ("browser's sequence", browser_cpu, len(b_acknowledged), len(b_latencies)),
    ):
        server, db, total = _ms(cpu, count)
        ratio = total / m_total if m_total else float("nan")
        print(
            f"    {what + ':':<20} {server:6.1f} + {db:5.1f} = {total:6.1f}  "
            f"-> {ratio:5.1f}x the minimal view"
        )
        per_response = made / max(count, 1)
        floor = m_total + (per_response - 1) * bare_ms
        print(
            f"      {per_response:.1f} requests per response: the minimal view plus the bare view "
            f"for the others would be {floor:.1f} ms ({floor / m_total:.1f}x)"
        )
        goal(
            f"survey answering, {what} ({name})",
            f"{total:.1f} ms CPU per response ({ratio:.1f}x)",
            f"minimal view {m_total:.1f} ms",
            "within 2x of the minimal view",
            ratio <= 2,
        )
    all_acknowledged = len(acknowledged) + len(b_acknowledged)
    all_errors = errors + b_errors
    verdict = (
        "none lost, none doubled" if stored == all_acknowledged and not all_errors else "MISMATCH"
    )
    print(f"  stored afterwards:     {stored} of {all_acknowledged} acknowledged -> {verdict}")
    for error in all_errors[:5]:
        print(f"  error: {error}")


def main() -> None:
    if os.environ.get("BENCH_ONLY") != "postgresql":
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
