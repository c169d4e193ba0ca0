"""Access expectations for the platform's URLs (core, accounts, partnerships, home)."""

from __future__ import annotations

from datetime import date
from typing import Any

from howgood.partnerships.models import Activity, Invitation, Membership, TrainingRecord
from tests.access_matrix.rules import MANAGERS, everyone, expect, signed_in


def objects(cast: Any) -> dict[str, Any]:
    from django.utils import timezone

    activity = Activity.objects.create(
        partnership=cast.a,
        title="Workshop on QI 2.1",
        type="workshop",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 1),
    )
    reader_membership = Membership.objects.get(user=cast.reader, partnership=cast.a)
    invitation = Invitation.objects.create(
        partnership=cast.a,
        email="new@a.example",
        role="viewer",
        token_hash="x" * 64,
        invited_by=cast.lead,
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )
    training = TrainingRecord.objects.create(
        partnership=cast.a,
        membership=reader_membership,
        trained_on=date(2026, 2, 1),
        trained_by="Care Inspectorate",
    )
    return {
        "activity": activity,
        "membership": reader_membership,
        "invitation": invitation,
        "training": training,
    }


# For the outsider, URLs about "the current partnership" answer for their own partnership B
# (200 for a coordinator), never for A: the matrix also checks that no A data appears.
CURRENT_MANAGERS = expect(MANAGERS, outsider=200)

EXPECTATIONS: dict[str, dict[str, Any]] = {
    "home": {"expect": signed_in(200)},
    "core:healthz": {"expect": everyone(200)},
    "accounts:sign_in": {"expect": {**signed_in(302), "anonymous": 200}},
    "accounts:sign_out": {"expect": {**signed_in(200), "anonymous": 302}, "post": False},
    "accounts:two_factor_verify": {"expect": signed_in(200)},
    "accounts:two_factor_setup": {"expect": signed_in(200)},
    "accounts:recovery_codes": {"expect": signed_in(200)},
    "accounts:account": {"expect": signed_in(200)},
    "accounts:password_change": {"expect": signed_in(200)},
    "accounts:password_reset": {"expect": everyone(200), "post": False},
    "accounts:password_reset_done": {"expect": everyone(200)},
    "accounts:password_reset_confirm": {
        "kwargs": lambda o: {"uidb64": "MQ", "token": "bad-token"},
        "expect": everyone(200),
    },
    "accounts:password_reset_complete": {"expect": everyone(200)},
    "partnerships:settings": {"expect": CURRENT_MANAGERS},
    "partnerships:partnership_edit": {"expect": CURRENT_MANAGERS},
    "partnerships:switch": {
        "expect": {**expect("all", ok=405, denied=405, outsider=405), "anonymous": 302},
        "post": False,
    },
    "partnerships:agency_create": {"expect": CURRENT_MANAGERS},
    "partnerships:agency_edit": {
        "kwargs": lambda o: {"pk": o["cast"].social_work.pk},
        "expect": expect(MANAGERS),
    },
    "partnerships:invite": {"expect": CURRENT_MANAGERS},
    "partnerships:membership_edit": {
        "kwargs": lambda o: {"pk": o["membership"].pk},
        "expect": expect(MANAGERS),
    },
    "partnerships:membership_remove": {
        "kwargs": lambda o: {"pk": o["membership"].pk},
        "expect": expect(MANAGERS),
    },
    "partnerships:invitation_revoke": {
        "kwargs": lambda o: {"pk": o["invitation"].pk},
        "expect": expect(MANAGERS),
    },
    "partnerships:invitation_accept": {
        "kwargs": lambda o: {"token": "not-a-real-token"},
        "expect": everyone(404),
    },
    "partnerships:audit": {"expect": CURRENT_MANAGERS},
    "partnerships:audit_export": {"expect": CURRENT_MANAGERS},
    "partnerships:programme": {"expect": expect("all", outsider=200)},
    "partnerships:activity_create": {"expect": CURRENT_MANAGERS},
    "partnerships:activity": {
        "kwargs": lambda o: {"pk": o["activity"].pk},
        "expect": expect("all"),
    },
    "partnerships:activity_edit": {
        "kwargs": lambda o: {"pk": o["activity"].pk},
        "expect": expect(MANAGERS),
    },
    "partnerships:attendance": {
        "kwargs": lambda o: {"pk": o["activity"].pk},
        "expect": expect(MANAGERS),
    },
    "partnerships:participants": {
        "kwargs": lambda o: {"pk": o["activity"].pk},
        "expect": expect(MANAGERS),
    },
    "partnerships:training": {"expect": expect(MANAGERS | {"moderator", "scrutiny"}, outsider=200)},
    "partnerships:training_create": {"expect": CURRENT_MANAGERS},
    "partnerships:training_delete": {
        "kwargs": lambda o: {"pk": o["training"].pk},
        "expect": expect(MANAGERS),
    },
}
