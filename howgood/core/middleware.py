"""Request-wide plumbing: a request id for the audit trail, extra security headers and
signing out a person who has done nothing for a while."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django_htmx.http import HttpResponseClientRedirect

from howgood.core import audit


class RequestIdMiddleware:
    """Give each request an id (or take a sane one from the proxy) for logs and audit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if incoming.isalnum() and len(incoming) <= 36 else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = audit.set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            audit.reset_request_id(token)
        response["X-Request-Id"] = request_id
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself. Pages about children are never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store, private")
        return response


LAST_ACTIVITY_KEY = "howgood_last_activity"
POLL_PARAMETER = "poll"

View = TypeVar("View", bound=Callable[..., Any])


def polling(view: View) -> View:
    """Mark a view that a page calls by itself to refresh: an htmx request, or a plain
    request carrying ``?poll=1`` (the meta refresh fallback). Those requests are not the
    person doing something, so they never keep an idle session alive."""
    view.howgood_polling = True  # type: ignore[attr-defined]
    return view


def is_poll(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None or not getattr(match.func, "howgood_polling", False):
        return False
    return request.headers.get("HX-Request") == "true" or request.GET.get(POLL_PARAMETER) == "1"


class IdleSignOutMiddleware:
    """Sign out a person whose last real request was more than SESSION_IDLE_MINUTES ago.

    The session keeps the time of the person's last request that was not a poll (see
    :func:`polling`); the session cookie's own expiry still moves with every request, so
    this check is what enforces the idle limit. Signed-out people go to the sign-in page,
    which says why (``?timed_out=1``); htmx requests are told to load it as a whole page.
    Needs the session and ``request.user``: place it after AuthenticationMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = time.time()
        user = request.user
        if user.is_authenticated:
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - float(last) > settings.SESSION_IDLE_MINUTES * 60:
                return self._sign_out(request, user)
        response = self.get_response(request)
        if request.user.is_authenticated and not is_poll(request):
            request.session[LAST_ACTIVITY_KEY] = now
        return response

    def _sign_out(self, request: HttpRequest, user: Any) -> HttpResponse:
        audit.log(actor=user, action="accounts.user.timed_out", target=user)
        htmx = request.headers.get("HX-Request") == "true"
        # Back to the page itself afterwards: not to a poll's URL, nor to a form's POST.
        revisit = request.method == "GET" and not htmx and POLL_PARAMETER not in request.GET
        after = request.get_full_path() if revisit else request.path
        logout(request)
        url = (
            f"{resolve_url(settings.LOGIN_URL)}?"
            f"{urlencode({'timed_out': '1', 'next': after}, safe='/')}"
        )
        return HttpResponseClientRedirect(url) if htmx else HttpResponseRedirect(url)
