from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from howgood.partnerships import access
from howgood.partnerships.navigation import items_for


def partnership(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    user = getattr(request, "user", None)
    others = []
    if user is not None and user.is_authenticated:
        others = sorted(access.memberships(user).values(), key=lambda m: m.partnership.name)
    return {
        "current_membership": membership,
        "current_partnership": membership.partnership if membership else None,
        "switchable_memberships": others,
        "nav_items": items_for(membership.role if membership else None, request.path)
        if membership
        else [],
    }
