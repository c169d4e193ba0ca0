"""The fixed cast every test module's story uses (healthchecks style).

Partnership A has one person in each role, and a second record reader
(``other_reader``, in another agency) so "another pair's reading" can be tested;
partnership B has its own coordinator, the outsider. People whose role sees case data
are signed in with two-factor passed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from howgood.accounts.models import User
from howgood.partnerships.models import Agency, Membership, Partnership
from howgood.partnerships.roles import Role

ROLES = [r.value for r in Role]
PASSWORD = "correct horse battery staple"


@dataclass
class Cast:
    a: Partnership
    b: Partnership
    social_work: Agency
    health: Agency
    police: Agency
    users: dict[str, User]

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["users"][name]
        except KeyError:
            raise AttributeError(name) from None


def make_user(email: str, name: str) -> User:
    return User.objects.create_user(email=email, password=PASSWORD, full_name=name)


@pytest.fixture
def cast(db: None) -> Cast:
    a = Partnership.objects.create(name="Partnership A", slug="a")
    b = Partnership.objects.create(name="Partnership B", slug="b")
    sw = Agency.objects.create(
        partnership=a, name="A Social Work", type="social_work", headcount=120
    )
    health = Agency.objects.create(partnership=a, name="A Health", type="health", headcount=200)
    police = Agency.objects.create(partnership=a, name="A Police", type="police", headcount=40)
    Agency.objects.create(partnership=b, name="B Social Work", type="social_work", headcount=80)
    users: dict[str, User] = {}
    for role in ROLES:
        user = make_user(f"{role}@a.example", f"{role.replace('_', ' ').title()} Person")
        Membership.objects.create(
            user=user, partnership=a, role=role, agency=sw if role != "reader" else health
        )
        users[role] = user
    other_reader = make_user("reader2@a.example", "Second Reader Person")
    Membership.objects.create(user=other_reader, partnership=a, role="reader", agency=police)
    users["other_reader"] = other_reader
    outsider = make_user("coordinator@b.example", "Outsider Person")
    Membership.objects.create(user=outsider, partnership=b, role="coordinator")
    users["outsider"] = outsider
    return Cast(a=a, b=b, social_work=sw, health=health, police=police, users=users)


def sign_in(client: Client, user: User, *, verified: bool = True) -> Client:
    """Sign in as if through the pages, with two-factor passed when ``verified``."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if verified:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="test", defaults={"confirmed": True}
        )
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_for(cast: Cast):  # type: ignore[no-untyped-def]
    """client_for("lead") -> a Client signed in as that member of the cast."""

    def make(who: str, verified: bool = True) -> Client:
        return sign_in(Client(), cast.users[who], verified=verified)

    return make


@pytest.fixture(autouse=True)
def _fast_static(settings, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Uploaded files go to a temporary folder, never the checkout's private_media.
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def framework(db: None):  # type: ignore[no-untyped-def]
    """The Care Inspectorate framework loaded from data/frameworks, as in production."""
    from pathlib import Path

    from howgood.frameworks.services import framework_load

    framework_load(
        path=Path(__file__).resolve().parents[1] / "data" / "frameworks" / "qif-2019.yaml",
        actor=None,
    )
    from howgood.frameworks.models import Framework

    return Framework.objects.get(slug="qif-2019")
