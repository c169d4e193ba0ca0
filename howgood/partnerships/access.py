"""The access chokepoint for partnership data.

Every view that shows or changes partnership data asks the permission policy of its
model (``agencies.get_for(user, pk, "partnership.manage")``; see
``howgood.partnerships.policies``), or, for a page about the partnership the person is
working in, ``current(request, capability)``. Both return 404 when the object lies outside
the person's partnerships (so its existence is not revealed) and 403 when the person is a
member but their role may not do that. A person's memberships are loaded once per
request and kept on the user object (``memberships``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from howgood.partnerships import policies
from howgood.partnerships.models import (
    Activity,
    Agency,
    Invitation,
    Membership,
    Partnership,
    TrainingRecord,
)
from howgood.partnerships.policies import ModelPolicy
from howgood.partnerships.roles import CASE_DATA_ROLES, can

memberships = policies.memberships
forget = policies.forget
membership_in = policies.membership_in


def requires_two_factor(user: Any) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    return any(m.role in CASE_DATA_ROLES for m in memberships(user).values())


def require(user: Any, partnership_id: int | None, capability: str) -> Membership:
    """The person's membership of the partnership, if their role has the capability."""
    membership = membership_in(user, partnership_id)
    if membership is None:
        raise Http404("Not found")
    if not can(membership.role, capability):
        raise PermissionDenied("Your role in this partnership cannot do this.")
    return membership


def current(request: HttpRequest, capability: str) -> Membership:
    """The membership of the partnership the person is working in, checked for capability."""
    partnership: Partnership | None = getattr(request, "partnership", None)
    return require(request.user, partnership.pk if partnership else None, capability)


partnerships = ModelPolicy(Partnership, partnership=None)
agencies = ModelPolicy(Agency)
members = ModelPolicy(Membership, related=("user", "agency"))
invitations = ModelPolicy(Invitation)
activities = ModelPolicy(Activity)
training_records = ModelPolicy(TrainingRecord, related=("membership__user",))
