"""Back and next links taken from the address: same-site paths only (howgood.core.links)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from howgood.core.links import local_path
from tests.conftest import PASSWORD

UNSAFE = [
    "https://evil.example/",
    "http://testserver/records/",  # even this site, written in full: paths only
    "javascript:alert(document.cookie)",
    "JAVASCRIPT:alert(1)",
    "data:text/html,hello",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    " //evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%0a/x\x00",
    "records/",
    "",
    None,
]


@pytest.mark.parametrize("candidate", UNSAFE)
def test_anything_but_a_same_site_path_gives_the_default(candidate: str | None) -> None:
    assert local_path(candidate, "/record-reading/readings/") == "/record-reading/readings/"


@pytest.mark.parametrize(
    "candidate",
    [
        "/",
        "/record-reading/readings/12/sections/1/",
        "/surveys/3/?tab=agencies#results",
        "/self-evaluation/statements/1/compare/?a=1&b=2",
    ],
)
def test_a_same_site_path_is_kept(candidate: str) -> None:
    assert local_path(candidate, "/") == candidate


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("//evil.example/", "/"),
        ("/improvement/", "/improvement/"),
    ],
)
def test_signing_in_goes_only_to_a_same_site_next(cast, client, next_url, lands_on) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("accounts:sign_in"), {"next": next_url})
    assert "evil.example" not in page.content.decode()
    response = client.post(
        reverse("accounts:sign_in"),
        {"email": cast.viewer.email, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302 and response["Location"] == lands_on
