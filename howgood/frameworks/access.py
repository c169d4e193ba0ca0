"""The access chokepoint for framework pages.

Frameworks are shared reference data: anyone signed in may read them, whatever their
partnership or role; nobody changes the framework itself through the web (wording is
corrected in the YAML file and reloaded with ``manage.py load_framework``). Unknown slugs
and numbers are 404s.

One thing is filled in through the web: an indicator's themes and illustrations, typed in
from someone's own copy of the framework (``get_indicator_to_fill_in``). The lead of the
partnership a person is working in ("framework.edit") fills them in for that partnership;
an administrator (staff, signed in with two-factor) who is not fills them in for every
partnership without its own. Everyone else is refused (403).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from howgood.frameworks import selectors
from howgood.frameworks.models import Framework, QualityIndicator
from howgood.partnerships.models import Partnership
from howgood.partnerships.roles import can


def _require_signed_in(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied


def get_framework_for(user: Any, slug: str) -> Framework:
    _require_signed_in(user)
    try:
        return selectors.framework_by_slug(slug)
    except Framework.DoesNotExist:
        raise Http404("No such framework") from None


def get_indicator_for(user: Any, slug: str, number: str) -> QualityIndicator:
    framework = get_framework_for(user, slug)
    try:
        return selectors.quality_indicator(framework, number)
    except QualityIndicator.DoesNotExist:
        raise Http404("No such quality indicator") from None


def _fill_in_scope(request: HttpRequest) -> Partnership | None:
    """Whose copy this person fills in: their current partnership's (as its lead), or
    ``None`` for an administrator's copy for everyone. Raises ``PermissionDenied``."""
    membership = getattr(request, "membership", None)
    if membership is not None and can(membership.role, "framework.edit"):
        partnership: Partnership = membership.partnership
        return partnership
    user = request.user
    if getattr(user, "is_staff", False) or getattr(user, "is_superuser", False):
        if not user.is_verified():  # type: ignore[union-attr]
            raise PermissionDenied(
                "Sign in with two-factor authentication to fill in the framework for every "
                "partnership."
            )
        return None
    raise PermissionDenied("Only the partnership lead can fill in the framework's text.")


def get_indicator_to_fill_in(
    request: HttpRequest, slug: str, number: str
) -> tuple[QualityIndicator, Partnership | None]:
    """The indicator and whose copy of its themes and illustrations the person may fill in.

    Returns ``(indicator, partnership)``; ``partnership`` is ``None`` for an
    administrator's copy for every partnership. 404 for an unknown framework or indicator;
    403 for anyone else, and for an indicator whose own themes and illustrations are
    already verified (there is nothing to fill in).
    """
    indicator = get_indicator_for(request.user, slug, number)
    partnership = _fill_in_scope(request)
    if indicator.content_verified:
        raise PermissionDenied("This indicator's themes and illustrations are already verified.")
    return indicator, partnership


def may_fill_in(request: HttpRequest, indicator: QualityIndicator) -> bool:
    """Whether to offer the fill-in form on the indicator's page."""
    try:
        _fill_in_scope(request)
    except PermissionDenied:
        return False
    return not indicator.content_verified
