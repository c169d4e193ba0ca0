"""The access chokepoint for partnership data.

Every view that shows or changes partnership data asks one of these functions. They
return 404 when the object lies outside the person's partnerships (so its existence is
not revealed) and 403 when the person is a member but their role may not do that.
A person's memberships are loaded once per request and cached on the user object.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from howgood.partnerships.models import (
    Activity,
    Agency,
    Invitation,
    Membership,
    Partnership,
    TrainingRecord,
)
from howgood.partnerships.roles import CASE_DATA_ROLES, can

M = TypeVar("M", bound=models.Model)
_CACHE_ATTR = "_howgood_memberships"


def memberships(user: Any) -> dict[int, Membership]:
    """Active memberships by partnership id (cached for the request)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = {
            m.partnership_id: m
            for m in Membership.objects.filter(user=user, is_active=True).select_related(
                "partnership", "agency"
            )
        }
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def membership_in(user: Any, partnership_id: int | None) -> Membership | None:
    if partnership_id is None:
        return None
    return memberships(user).get(partnership_id)


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


def _get_for(
    user: Any, model: type[M], pk: Any, capability: str, queryset: models.QuerySet[M] | None = None
) -> tuple[M, Membership]:
    qs = queryset if queryset is not None else model._default_manager.all()
    partnership_ids = list(memberships(user).keys())
    try:
        obj = qs.filter(partnership_id__in=partnership_ids).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise Http404("Not found") from None
    membership = require(user, obj.partnership_id, capability)  # type: ignore[attr-defined]
    return obj, membership


def get_partnership_for(user: Any, pk: Any, capability: str) -> tuple[Partnership, Membership]:
    membership = membership_in(user, int(pk)) if str(pk).isdigit() else None
    if membership is None:
        raise Http404("Not found")
    return membership.partnership, require(user, membership.partnership_id, capability)


def get_agency_for(user: Any, pk: Any, capability: str) -> tuple[Agency, Membership]:
    return _get_for(user, Agency, pk, capability)


def get_membership_for(user: Any, pk: Any, capability: str) -> tuple[Membership, Membership]:
    return _get_for(
        user, Membership, pk, capability, Membership.objects.select_related("user", "agency")
    )


def get_invitation_for(user: Any, pk: Any, capability: str) -> tuple[Invitation, Membership]:
    return _get_for(user, Invitation, pk, capability)


def get_activity_for(user: Any, pk: Any, capability: str) -> tuple[Activity, Membership]:
    return _get_for(user, Activity, pk, capability)


def get_training_record_for(
    user: Any, pk: Any, capability: str
) -> tuple[TrainingRecord, Membership]:
    return _get_for(
        user,
        TrainingRecord,
        pk,
        capability,
        TrainingRecord.objects.select_related("membership__user"),
    )
