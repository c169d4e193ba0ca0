"""Every URL that names an object by number answers 404 "Not found" for a number that names
nothing, asked by someone whose role may use that URL: the chokepoints look the object up
before anything else, and say nothing more about it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.access_matrix.rules import MEMBER_ROLES
from tests.access_matrix.test_matrix import EXPECTATIONS, MODULES
from tests.conftest import sign_in

NOWHERE = 987654321


def allowed_role(spec: dict[str, Any]) -> str | None:
    """A role of partnership A that the URL lets in (so only the unknown number stops it)."""
    for role in MEMBER_ROLES:
        if spec["expect"][role] not in (403, 404):
            return role
    return None


@pytest.mark.django_db
def test_an_unknown_number_is_not_found_for_every_url_with_one(cast: Any) -> None:
    objs: dict[str, Any] = {"cast": cast}
    for module in MODULES:
        objs.update(module.objects(cast))
    checked, failures = [], []
    for name, spec in sorted(EXPECTATIONS.items()):
        if "kwargs" not in spec:
            continue
        kwargs = spec["kwargs"](objs)
        role = allowed_role(spec)
        if "pk" not in kwargs or role is None:
            continue
        url = reverse(name, kwargs={**kwargs, "pk": NOWHERE})
        client = sign_in(Client(), cast.users[role])
        method = spec.get("method", "get")
        response = client.post(url, {}) if method == "post" else client.get(url)
        checked.append(name)
        if response.status_code != 404:
            failures.append(f"{method.upper()} {url} as {role}: {response.status_code}")
    assert not failures, "\n".join(failures)
    assert len(checked) > 40
