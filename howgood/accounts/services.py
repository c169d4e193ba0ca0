"""Account workflows: two-factor enrolment and recovery codes, account creation."""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from howgood.accounts.models import User
from howgood.core import audit

RECOVERY_CODE_COUNT = 10


def user_create(*, email: str, full_name: str, password: str | None, actor: User | None) -> User:
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    audit.log(actor=actor or user, action="accounts.user.created", target=user)
    return user


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up, created on first call."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def two_factor_enrol(*, user: User, device: TOTPDevice, actor: User) -> list[str]:
    """Confirm the authenticator (its token already verified) and issue recovery codes.

    Any other authenticator the person had is removed: one app per person keeps support simple.
    """
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _issue_recovery_codes(user)
    audit.log(actor=actor, action="accounts.two_factor.enrolled", target=user)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, actor: User) -> list[str]:
    codes = _issue_recovery_codes(user)
    audit.log(actor=actor, action="accounts.two_factor.recovery_regenerated", target=user)
    return codes


def _issue_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
