"""Every page a coordinator (and an anonymous visitor) can open passes axe-core, with and
without JavaScript. The list of pages comes from the access matrix, so a new URL is
covered as soon as it has its expectation there."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.access_matrix.test_matrix import EXPECTATIONS, MODULES
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# Pages that are not HTML for a person to read, or that end the session.
SKIP = {
    "core:healthz",
    "childprotection:chart",
    "childprotection:export",
    "partnerships:audit_export",
    "questionnaires:version_export",
    "reports:download",
    "selfevaluation:document",
    "records:findings_chart",
    "surveys:analysis_chart",
    "surveys:codes_download",
    "surveys:export",
}


def _urls(cast: Any, who: str) -> list[tuple[str, str]]:
    objs: dict[str, Any] = {"cast": cast}
    for module in MODULES:
        objs.update(module.objects(cast))
    urls = []
    for name, spec in sorted(EXPECTATIONS.items()):
        if name in SKIP or spec["expect"][who] != 200 or spec.get("method", "get") != "get":
            continue
        urls.append(
            (name, reverse(name, kwargs=spec["kwargs"](objs) if "kwargs" in spec else None))
        )
    return urls


@pytest.mark.parametrize(
    ("who", "javascript"),
    [("coordinator", True), ("coordinator", False), ("reader", True), ("reader", False)],
    ids=["coordinator-with-js", "coordinator-without-js", "reader-with-js", "reader-without-js"],
)
def test_every_page_passes_axe(
    cast: Any, settings: Any, new_page: Any, who: str, javascript: bool
) -> None:
    settings.HOWGOOD_DEMO = True
    person = cast.users[who]
    person.is_demo = True
    person.save()
    urls = _urls(cast, who)
    assert len(urls) > (25 if who == "coordinator" else 5)
    page = new_page(javascript=javascript)
    page.go("/sign-in/")
    page.get_by_label("Email address").fill(person.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base_url + "/")
    for name, url in urls:
        if name == "accounts:sign_out":
            continue
        response = page.go(url)
        assert response.status == 200, (name, url, response.status)
        assert page.locator("h1").count() >= 1, f"{name} has no heading"
        page.axe(name)


def test_every_public_page_passes_axe(cast: Any, new_page: Any) -> None:
    urls = _urls(cast, "anonymous")
    assert urls
    page = new_page()
    for name, url in urls:
        response = page.go(url)
        assert response.status == 200, (name, url)
        page.axe(name)
