"""Signing in, two-factor, lockout and idle expiry, through HTTP."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from howgood.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def post_sign_in(client: Client, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:sign_in"), {"email": email, "password": password})


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_sign_in_by_email_is_case_insensitive(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = post_sign_in(client, "VIEWER@A.example")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.user.signed_in", actor=cast.viewer).exists()


def test_wrong_password_keeps_the_email_and_explains(cast) -> None:  # type: ignore[no-untyped-def]
    response = post_sign_in(Client(), "viewer@a.example", "wrong")
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body and 'value="viewer@a.example"' in body


def test_case_data_role_must_set_up_two_factor_then_verify(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = post_sign_in(client, "reader@a.example")
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:two_factor_setup")
    )
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"<svg" in page.content
    device = TOTPDevice.objects.get(user=cast.reader, confirmed=False)
    wrong = client.post(
        reverse("accounts:two_factor_setup"),
        {"token": "000000" if code_for(device) != "000000" else "111111"},
    )
    assert wrong.status_code == 200 and b"That code is not right" in wrong.content
    device.refresh_from_db()
    device.throttle_reset()  # as if the person waited the second the throttle asks for
    done = client.post(
        reverse("accounts:two_factor_setup") + "?next=/", {"token": code_for(device)}
    )
    assert done.status_code == 302 and done["Location"].startswith(
        reverse("accounts:recovery_codes")
    )
    codes_page = client.get(done["Location"])
    assert codes_page.content.decode().count("<li>") >= 10
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.two_factor.enrolled", actor=cast.reader
    ).exists()


def test_next_sign_in_asks_for_the_code_and_accepts_a_recovery_code_once(cast) -> None:  # type: ignore[no-untyped-def]
    from howgood.accounts import services

    device = TOTPDevice.objects.create(user=cast.lead, name="app", confirmed=True)
    codes = services.two_factor_enrol(user=cast.lead, device=device, actor=cast.lead)
    client = Client()
    post_sign_in(client, "lead@a.example")
    response = client.get(reverse("partnerships:programme"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    ok = client.post(
        reverse("accounts:two_factor_verify") + "?next=/programme/", {"token": codes[0]}
    )
    assert ok.status_code == 302 and ok["Location"] == "/programme/"
    assert client.get("/programme/").status_code == 200
    again = Client()
    post_sign_in(again, "lead@a.example")
    reused = again.post(reverse("accounts:two_factor_verify"), {"token": codes[0]})
    assert reused.status_code == 200 and b"That code is not right" in reused.content


def test_roles_without_case_data_do_not_need_two_factor(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    post_sign_in(client, "contributor@a.example")
    assert client.get("/").status_code == 200


def test_demo_accounts_skip_two_factor_only_in_demo_mode(cast, settings) -> None:  # type: ignore[no-untyped-def]
    cast.reader.is_demo = True
    cast.reader.save()
    settings.HOWGOOD_DEMO = False
    client = Client()
    post_sign_in(client, "reader@a.example")
    assert client.get("/").status_code == 302
    settings.HOWGOOD_DEMO = True
    assert client.get("/").status_code == 200
    cast.coordinator.is_demo = False
    other = Client()
    post_sign_in(other, "coordinator@a.example")
    assert other.get("/").status_code == 302  # a real account never skips it


def test_lockout_after_repeated_failures(cast, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_sign_in(client, "viewer@a.example", "wrong password")
    response = post_sign_in(client, "viewer@a.example")  # even the right password is refused now
    assert response.status_code == 429
    assert b"too many failed attempts" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.user.locked_out").exists()


def test_idle_session_expiry_is_configured(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 <= 60 * 60


def test_session_expires_after_idle_time(cast) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client = Client()
    post_sign_in(client, "viewer@a.example")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:sign_in")
    )


def test_sign_out_is_a_post(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    post_sign_in(client, "viewer@a.example")
    assert client.get(reverse("accounts:sign_out")).status_code == 200
    assert "_auth_user_id" in client.session
    client.post(reverse("accounts:sign_out"))
    assert "_auth_user_id" not in client.session


def test_csrf_is_enforced(cast) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("accounts:sign_in"), {"email": "viewer@a.example", "password": PASSWORD}
    )
    assert response.status_code == 403
