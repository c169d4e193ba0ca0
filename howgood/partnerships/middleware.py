"""Per-request partnership context and the two-factor requirement for case-data roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from howgood.accounts.selectors import confirmed_totp_device
from howgood.partnerships import access

SESSION_KEY = "howgood_partnership_id"

# Pages a person must reach before passing the two-factor check.
TWO_FACTOR_EXEMPT = {
    "accounts:sign_in",
    "accounts:sign_out",
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "accounts:recovery_codes",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "core:healthz",
}


class CurrentPartnershipMiddleware:
    """Sets ``request.partnership`` and ``request.membership`` (None when not signed in).

    The partnership is the one chosen with the switcher (kept in the session) if the person
    is still a member of it, otherwise their first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = None
        if request.user.is_authenticated:
            mine = access.memberships(request.user)
            chosen = request.session.get(SESSION_KEY)
            membership = mine.get(chosen) if chosen is not None else None
            if membership is None and mine:
                membership = sorted(mine.values(), key=lambda m: m.partnership.name)[0]
        request.membership = membership  # type: ignore[attr-defined]
        request.partnership = membership.partnership if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Sends people whose role can see case data through two-factor sign-in.

    Demo mode lets the invented demo accounts skip it; nobody else.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return None
        match = request.resolver_match
        if (
            match is None
            or match.view_name in TWO_FACTOR_EXEMPT
            or request.path.startswith(settings.STATIC_URL)
        ):
            return None
        if getattr(view_func, "two_factor_exempt", False):
            return None
        if settings.HOWGOOD_DEMO and getattr(user, "is_demo", False):
            return None
        if not access.requires_two_factor(user):
            return None

        target = (
            "accounts:two_factor_verify"
            if confirmed_totp_device(user)
            else "accounts:two_factor_setup"
        )
        return HttpResponseRedirect(f"{reverse(target)}?next={quote(request.get_full_path())}")
