"""Sign-in, two-factor, sign-out and the person's own account page.

These views act on the signed-in person only (no partnership data), so their access
rule is simply "signed in" (or "anyone" for the sign-in pages themselves).
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from howgood.accounts import selectors, services
from howgood.accounts.forms import LOCKED_OUT_MESSAGE, EnrolForm, SignInForm, TokenForm
from howgood.accounts.models import User
from howgood.core import audit
from howgood.core.links import local_path

RECOVERY_SESSION_KEY = "howgood_new_recovery_codes"


def _next_url(request: HttpRequest, default: str = "home") -> str:
    """Where to go next: the ``next`` path if it is on this site, else ``default``."""
    return local_path(request.POST.get("next") or request.GET.get("next"), reverse(default))


def _next_field(request: HttpRequest) -> str:
    """The ``next`` path to carry in a form's hidden field ("" unless it is on this site)."""
    return local_path(request.GET.get("next"), "")


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid() and form.user is not None:
            login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
            audit.log(actor=form.user, action="accounts.user.signed_in", target=form.user)
            return redirect(_next_url(request))
        audit.log(
            actor=None,
            action="accounts.user.sign_in_failed",
            data={"email": (request.POST.get("email") or "")[:254]},
        )
    timed_out = request.GET.get("timed_out") == "1"
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": _next_field(request), "timed_out": timed_out},
    )


def locked_out(
    request: HttpRequest, response: HttpResponse, credentials: dict[str, Any]
) -> HttpResponse:
    """Called by django-axes when an account is locked: the sign-in page with a clear reason."""
    email = (credentials or {}).get("email", "") if isinstance(credentials, dict) else ""
    audit.log(actor=None, action="accounts.user.locked_out", data={"email": str(email)[:254]})
    form = SignInForm(request, data=request.POST or None)
    form.is_valid()
    form._errors = form.error_class() if form._errors is None else form._errors
    form._errors.clear()
    form.add_error(None, LOCKED_OUT_MESSAGE)
    return render(request, "accounts/sign_in.html", {"form": form, "next": ""}, status=429)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if selectors.confirmed_totp_device(user) is None:
        return redirect(f"{reverse('accounts:two_factor_setup')}?next={_next_url(request)}")
    form = TokenForm(user, data=request.POST or None)
    if request.method == "POST" and form.is_valid() and form.device is not None:
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            audit.log(actor=user, action="accounts.two_factor.recovery_used", target=user)
            messages.warning(
                request,
                f"You used a recovery code. You have {selectors.recovery_codes_remaining(user)} left.",
            )
        else:
            audit.log(actor=user, action="accounts.two_factor.verified", target=user)
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_field(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if selectors.confirmed_totp_device(user) is not None and not request.user.is_verified():  # type: ignore[attr-defined]
        # Replacing an authenticator needs the old one first.
        return redirect(
            f"{reverse('accounts:two_factor_verify')}?next={reverse('accounts:two_factor_setup')}"
        )
    device = services.totp_device_pending(user=user)
    form = EnrolForm(device, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.two_factor_enrol(user=user, device=device, actor=user)
        otp_login(request, device)
        request.session[RECOVERY_SESSION_KEY] = codes
        return redirect(f"{reverse('accounts:recovery_codes')}?next={_next_url(request)}")
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code to scan with your authenticator app"
    )
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr,
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": _next_field(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    codes = request.session.pop(RECOVERY_SESSION_KEY, None)
    if request.method == "POST":
        if not request.user.is_verified():  # type: ignore[attr-defined]
            return redirect(
                f"{reverse('accounts:two_factor_verify')}?next={reverse('accounts:recovery_codes')}"
            )
        codes = services.recovery_codes_regenerate(user=user, actor=user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "remaining": selectors.recovery_codes_remaining(user),
            "next": _next_url(request, "accounts:account"),
        },
    )


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.user.is_authenticated:
            audit.log(actor=request.user, action="accounts.user.signed_out", target=request.user)
        logout(request)
        messages.success(request, "You have signed out.")
        return redirect("accounts:sign_in")
    if not request.user.is_authenticated:
        return redirect("accounts:sign_in")
    return render(request, "accounts/sign_out.html")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    memberships = user.memberships.filter(is_active=True).select_related("partnership", "agency")  # type: ignore[attr-defined]
    return render(
        request,
        "accounts/account.html",
        {
            "memberships": memberships,
            "has_authenticator": selectors.confirmed_totp_device(user) is not None,
            "recovery_remaining": selectors.recovery_codes_remaining(user),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: Any) -> HttpResponseRedirect:
        response = super().form_valid(form)
        audit.log(
            actor=self.request.user, action="accounts.password.changed", target=self.request.user
        )
        messages.success(self.request, "Your password has been changed.")
        return response  # type: ignore[return-value]
