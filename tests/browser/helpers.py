"""Small actions a person takes in the browser, shared by the journeys."""

from __future__ import annotations

from typing import Any

from tests.conftest import PASSWORD


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.go("/sign-in/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base_url + "/**")


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


def choose(page: Any, name: str, label: str) -> None:
    """Click a radio button or checkbox the way a person does: on its label."""
    options = page.locator(f"input[name={name}]")
    for i in range(options.count()):
        control = options.nth(i)
        text = page.locator(f"label[for='{control.get_attribute('id')}']")
        if text.inner_text().strip() == label:
            text.click()
            return
    raise AssertionError(f"No option {label!r} for {name}")
