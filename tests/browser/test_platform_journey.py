"""Issue 2's journey: sign in as each demo role, see only what the role should, browse the
framework, import an XLSForm, preview and publish it, and read the audit trail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from howgood.questionnaires.examples import pulse_survey

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
DEMO_PASSWORD = "demo-howgood-2026"

pytestmark = pytest.mark.django_db(transaction=True)

# What the main navigation shows each demo role.
NAV = {
    "lead": [
        "Home",
        "Programme",
        "Surveys",
        "Record reading",
        "Self-evaluation",
        "Improvement",
        "Data",
        "Governance",
        "Framework",
        "Questionnaires",
        "Partnership",
        "Audit trail",
    ],
    "coordinator": [
        "Home",
        "Programme",
        "Surveys",
        "Record reading",
        "Self-evaluation",
        "Improvement",
        "Data",
        "Governance",
        "Framework",
        "Questionnaires",
        "Partnership",
        "Audit trail",
    ],
    "reader": [
        "Home",
        "Programme",
        "Record reading",
        "Self-evaluation",
        "Improvement",
        "Framework",
    ],
    "moderator": [
        "Home",
        "Programme",
        "Record reading",
        "Self-evaluation",
        "Improvement",
        "Framework",
        "Questionnaires",
    ],
    "contributor": ["Home", "Programme", "Self-evaluation", "Improvement", "Framework"],
    "action-owner": ["Home", "Programme", "Self-evaluation", "Improvement", "Framework"],
    "viewer": [
        "Home",
        "Programme",
        "Surveys",
        "Self-evaluation",
        "Improvement",
        "Data",
        "Governance",
        "Framework",
    ],
    "scrutiny": [
        "Home",
        "Programme",
        "Surveys",
        "Self-evaluation",
        "Improvement",
        "Data",
        "Governance",
        "Framework",
        "Questionnaires",
    ],
}


@pytest.fixture
def demo(settings: Any) -> None:
    settings.HOWGOOD_DEMO = True
    call_command("load_framework", verbosity=0)
    call_command("demo_load", stdout=open("/dev/null", "w"))  # noqa: SIM115


def sign_in(page: Any, email: str, password: str = DEMO_PASSWORD) -> None:
    page.go("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


def choose(page: Any, name: str, label: str) -> None:
    """Click a radio or checkbox the way a person does: on its label."""
    option = page.locator(f"input[name={name}]")
    for i in range(option.count()):
        control = option.nth(i)
        text = page.locator(f"label[for='{control.get_attribute('id')}']")
        if text.inner_text().strip() == label:
            text.click()
            return
    raise AssertionError(f"No option {label!r} for {name}")


def nav_labels(page: Any) -> list[str]:
    return [
        t.strip() for t in page.locator("nav[aria-label='Main navigation'] a").all_inner_texts()
    ]


def test_each_demo_role_sees_only_its_own_navigation(demo: None, new_page: Any) -> None:
    page = new_page()
    page.go("/sign-in/")
    page.axe("sign in")
    for role, expected in NAV.items():
        sign_in(page, f"{role}@demo.howgood.invalid")
        page.wait_for_url(page.base_url + "/")
        assert nav_labels(page) == expected, role
        assert "Demonstration" in page.locator(".hg-demo-banner").inner_text()
        page.axe(f"home as {role}")
        if role == "reader":
            page.shot("home-reader")
            # A reader cannot open the partnership settings or the audit trail.
            assert page.go("/partnership/").status == 403
            assert page.go("/audit/").status == 403
            page.axe("403 page")
            page.go("/")
        sign_out(page)


def test_coordinator_imports_previews_publishes_and_reads_the_audit_trail(
    demo: None, new_page: Any, tmp_path: Path
) -> None:
    page = new_page()
    sign_in(page, "coordinator@demo.howgood.invalid")
    page.wait_for_url(page.base_url + "/")
    page.shot("home-coordinator")

    # The programme and the framework.
    page.get_by_role("link", name="Programme", exact=True).click()
    assert page.locator("svg.hg-timeline").count() == 1
    page.axe("programme")
    page.shot("programme")
    page.get_by_role("link", name="Framework", exact=True).click()
    page.axe("framework list")
    page.locator("main a[href*='/framework/qif-2019/']").first.click()
    assert "2.1" in page.content()
    page.axe("framework detail")
    page.shot("framework")
    page.go("/framework/qif-2019/indicators/2.1/")
    page.axe("quality indicator 2.1")

    # A refused file: every problem with sheet and row, nothing saved.
    page.get_by_role("link", name="Questionnaires", exact=True).click()
    page.axe("questionnaires")
    page.get_by_role("link", name="Upload a questionnaire").click()
    page.get_by_label("XLSForm or REDCap file").set_input_files(
        str(REFERENCE / "xlsform" / "ona_tutorial.xlsx")
    )
    page.get_by_role("button", name="Upload and check").click()
    problems = page.locator("[data-testid=import-problems]")
    assert "geopoint" in problems.inner_text()
    page.axe("upload refused")
    page.shot("upload-refused")

    # A good file.
    good = tmp_path / "staff-pulse.xlsx"
    good.write_bytes(pulse_survey())
    page.get_by_label("Title").fill("Staff pulse check, spring")
    page.get_by_label("XLSForm or REDCap file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_selector("text=Imported Staff pulse check, spring as a draft")
    page.axe("version page")
    page.shot("version")

    # Preview: live skip logic in the browser.
    page.get_by_role("link", name="Preview").click()
    follow_up = page.locator("[data-hg-item=role_other]")
    assert follow_up.is_hidden()
    choose(page, "role", "Other")
    assert follow_up.is_visible()
    page.get_by_label("What is your role?").fill("Youth worker")
    page.get_by_label("How many years").fill("7")
    page.axe("preview section 1")
    page.get_by_role("button", name="Continue").click()
    choose(page, "confident_risk", "Agree")
    ird_quality = page.locator("[data-hg-item=ird_quality]")
    choose(page, "ird_involved", "No")
    assert ird_quality.is_hidden()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()
    assert "There is a problem" in page.content()  # supervision is required
    page.axe("preview with errors")
    page.shot("preview-errors")
    choose(page, "supervision", "Agree")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_selector("h1:has-text('Check your answers')")
    assert "Youth worker" in page.content()
    page.axe("check your answers")
    page.get_by_role("button", name="Submit").click()
    page.wait_for_selector("text=Preview complete")

    # Publish.
    page.get_by_role("link", name="Back to Staff pulse check, spring").click()
    page.get_by_role("link", name="Publish").click()
    page.axe("publish confirmation")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_selector("text=It can no longer be changed")
    assert page.get_by_role("link", name="Publish").count() == 0

    # The audit trail shows what they did, and exports it.
    page.get_by_role("link", name="Audit trail").click()
    trail = page.locator("[data-testid=audit]").inner_text()
    assert (
        "Questionnaire version published" in trail
        and "Questionnaire version imported from a file" in trail
    )
    page.axe("audit trail")
    page.shot("audit")
    page.get_by_label("Action").select_option(
        "questionnaires.version.published"
    )  # htmx updates the results
    page.wait_for_url("**action=questionnaires.version.published**")
    page.wait_for_function("document.querySelectorAll('[data-testid=audit] tbody tr').length <= 2")
    rows = page.locator("[data-testid=audit] tbody tr").all_inner_texts()
    assert rows and all("Questionnaire version published" in row for row in rows)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these as CSV").click()
    assert download.value.suggested_filename.startswith("howgood-audit-")


def test_two_factor_enrolment_in_the_browser(demo: None, new_page: Any) -> None:
    from base64 import b32decode

    from django_otp.oath import totp

    from howgood.accounts.models import User

    user = User.objects.get(email="coordinator@demo.howgood.invalid")
    user.is_demo = False  # a real account: two-factor cannot be skipped
    user.save()
    page = new_page()
    sign_in(page, user.email)
    page.wait_for_url("**/two-factor/set-up/**")
    page.axe("two-factor set-up")
    page.shot("two-factor-setup")
    secret = page.locator(".hg-secret").inner_text().replace(" ", "")
    code = f"{totp(b32decode(secret)):06d}"
    page.get_by_label("Code from your app").fill(code)
    page.get_by_role("button", name="Set up two-factor sign-in").click()
    assert page.locator("[data-testid=recovery-codes] li").count() == 10
    page.axe("recovery codes")
    page.get_by_role("link", name="I have saved my codes").click()
    page.wait_for_url(page.base_url + "/")
    assert "Your work" in page.content()


def test_pages_work_without_javascript(demo: None, new_page: Any, tmp_path: Path) -> None:
    page = new_page(javascript=False, width=390)
    sign_in(page, "coordinator@demo.howgood.invalid")
    page.wait_for_url(page.base_url + "/")
    page.go("/questionnaires/")
    page.locator("[data-testid=own-questionnaires] a").first.click()
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("link", name="Preview").click()
    assert page.locator("[data-hg-item=role_other]").is_hidden()
    choose(page, "role", "Other")
    page.get_by_role("button", name="Continue").click()
    assert "We have added a question" in page.content()
    assert page.locator("[data-hg-item=role_other]").is_visible()
    page.axe("no-JS follow-up question")
    page.shot("preview-no-js-phone")


def test_browser_expressions_agree_with_the_server(demo: None, new_page: Any) -> None:
    from howgood.questionnaires import expressions

    cases = json.loads(
        (
            Path(__file__).resolve().parents[1] / "questionnaires" / "expression_cases.json"
        ).read_text()
    )
    page = new_page()
    sign_in(page, "coordinator@demo.howgood.invalid")
    page.wait_for_url(page.base_url + "/")
    page.go("/static/js/hg-expressions.js")
    page.go("/questionnaires/")
    page.locator("[data-testid=own-questionnaires] a").first.click()
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("link", name="Preview").click()
    payload = []
    for case in cases:
        try:
            ast = expressions.to_json(expressions.parse(case["expr"]))
        except expressions.ExpressionError:
            continue
        payload.append(
            {
                "ast": ast,
                "answers": case.get("answers", {}),
                "current": case.get("current"),
                "today": case.get("today"),
                "expected": bool(case["expected"]) if "expected" in case else None,
                "python": expressions.evaluate(
                    expressions.parse(case["expr"]),
                    case.get("answers", {}),
                    current=case.get("current"),
                    today=_date(case.get("today")),
                ),
            }
        )
    results = page.evaluate(
        "cases => cases.map(c => window.HowGood.expressions.evaluate(c.ast, c.answers, c.current, c.today || undefined))",
        payload,
    )
    mismatches = [(c, r) for c, r in zip(payload, results, strict=True) if r != c["python"]]
    assert len(payload) > 100 and not mismatches, mismatches[:5]


def _date(text: str | None) -> Any:
    from datetime import date

    return date.fromisoformat(text) if text else None


def test_a_person_in_two_partnerships_sees_pages_fit_a_phone(demo: None, new_page: Any) -> None:
    """The partnership switcher (shown to someone in two partnerships) wraps on a phone instead
    of pushing every page wider than the screen."""
    page = new_page(width=390)
    sign_in(page, "coordinator@demo.howgood.invalid")
    page.wait_for_url(page.base_url + "/")
    for path in ("/", "/programme/", "/record-reading/"):
        page.go(path)
        assert page.locator("#partnership-switcher").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") == 390, path
