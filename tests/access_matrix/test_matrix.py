"""Walk every URL pattern with every role of partnership A, an outsider and nobody.

A URL without an expectation fails the test: adding a view means deciding who may use it.
Each app's expectations live in a module beside this one and are merged here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_matrix import platform
from tests.access_matrix.rules import WHO
from tests.conftest import sign_in

MODULES: list[Any] = [platform]
from tests.access_matrix import (  # noqa: E402
    childprotection,
    frameworks,
    governance,
    improvement,
    questionnaires,
    records,
    selfevaluation,
    surveys,
)

MODULES += [
    frameworks,
    questionnaires,
    records,
    surveys,
    improvement,
    selfevaluation,
    childprotection,
    governance,
]

EXPECTATIONS: dict[str, dict[str, Any]] = {}
for module in MODULES:
    overlap = EXPECTATIONS.keys() & module.EXPECTATIONS.keys()
    assert not overlap, f"URL names with two expectations: {overlap}"
    EXPECTATIONS.update(module.EXPECTATIONS)

IGNORED_PREFIXES = ("static",)


def all_url_names() -> list[str]:
    names: list[str] = []

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, ns)
            elif isinstance(pattern, URLPattern):
                assert pattern.name, (
                    f"Every URL needs a name so the access matrix can cover it: {pattern}"
                )
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_has_an_expectation() -> None:
    missing = [
        name
        for name in all_url_names()
        if name not in EXPECTATIONS and not name.startswith(IGNORED_PREFIXES)
    ]
    assert not missing, (
        f"URLs with no access expectation (add them to tests/access_matrix/): {missing}"
    )
    stale = [name for name in EXPECTATIONS if name not in all_url_names()]
    assert not stale, f"Expectations for URLs that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
def test_access_matrix(cast: Any, who: str) -> None:
    objs: dict[str, Any] = {"cast": cast}
    for module in MODULES:
        objs.update(module.objects(cast))
    failures = []
    for name, spec in sorted(EXPECTATIONS.items()):
        url = reverse(name, kwargs=spec["kwargs"](objs) if "kwargs" in spec else None)
        client = Client()
        if who != "anonymous":
            sign_in(client, cast.users[who])
        expected = spec["expect"][who]
        method = spec.get("method", "get")  # POST-only views are checked with a POST
        response = client.post(url, {}) if method == "post" else client.get(url)
        if response.status_code != expected:
            failures.append(
                f"{method.upper()} {name} ({url}) as {who}: {response.status_code}, expected {expected}"
            )
            continue
        if (
            who == "outsider"
            and not spec.get("public")  # public pages (survey links) name their partnership
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
        ):
            body = response.content.decode()
            for secret in ("Partnership A", "A Social Work", "@a.example"):
                if secret in body:
                    failures.append(f"GET {name} as outsider shows partnership A data ({secret!r})")
        # Whoever may not GET a URL may not POST to it either.
        if (
            spec.get("post", True)
            and expected in (302, 403, 404)
            and not (expected == 302 and who != "anonymous")
        ):
            post = Client()
            if who != "anonymous":
                sign_in(post, cast.users[who])
            response = post.post(url, {})
            if response.status_code != expected:
                failures.append(
                    f"POST {name} ({url}) as {who}: {response.status_code}, expected {expected}"
                )
    assert not failures, "\n".join(failures)
