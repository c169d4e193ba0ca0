from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from howgood.accounts.models import User, normalise_email


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: User | None = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, password = data.get("email"), data.get("password")
        if email and password:
            user = authenticate(self.request, email=normalise_email(email), password=password)
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(LOCKED_OUT_MESSAGE, code="locked_out")
            if user is None:
                raise forms.ValidationError(
                    "Enter the email address and password of your HowGood account. "
                    "Check them and try again.",
                    code="invalid",
                )
            self.user = user  # type: ignore[assignment]
        return data


LOCKED_OUT_MESSAGE = (
    "There have been too many failed attempts to sign in to this account, so it is locked "
    "for 15 minutes. Wait, then try again, or reset your password."
)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "ds_input--fixed-10",
            }
        ),
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        self.device: TOTPDevice | StaticDevice | None = None
        super().__init__(*args, **kwargs)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "").lower()
        looks_like_app_code = token.isdigit() and len(token) == 6
        # A recovery code is never tried against the app (a miss would count towards its throttle).
        for device in (
            TOTPDevice.objects.filter(user=self.user, confirmed=True) if looks_like_app_code else []
        ):
            verified, _ = device.verify_is_allowed()
            if not verified:
                raise forms.ValidationError(
                    "Too many wrong codes. Wait a minute, then enter the newest code from your app."
                )
            if device.verify_token(token):
                self.device = device
                return token
        for static in StaticDevice.objects.filter(user=self.user, confirmed=True):
            if static.verify_token(token):
                self.device = static
                return token
        raise forms.ValidationError(
            "That code is not right. Enter the 6-digit code your app shows now, or a recovery code."
        )


class EnrolForm(forms.Form):
    token = forms.CharField(
        label="Code from your app",
        help_text="After scanning, your app shows a 6-digit code. Enter it here.",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "ds_input--fixed-10",
            }
        ),
    )

    def __init__(self, device: TOTPDevice, *args: Any, **kwargs: Any) -> None:
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code is not right. Check the time on your phone is correct and enter the "
                "code your app shows now."
            )
        return token


class AccountCreateForm(forms.Form):
    """Used when someone accepts an invitation and has no account yet."""

    full_name = forms.CharField(label="Full name", max_length=150)
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. A few unrelated words make a good one.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, email: str, *args: Any, **kwargs: Any) -> None:
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The passwords do not match. Type the same password twice.")
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(email=self.email, full_name=data.get("full_name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
