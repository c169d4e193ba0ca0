"""Browser journey: the partnership lead fills in an indicator's themes and illustrations
from their own copy, in real Chromium, with an axe-core check on every page visited."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_lead_fills_in_from_their_copy(
    cast: Any, framework: Any, settings: Any, new_page: Any
) -> None:
    settings.HOWGOOD_DEMO = True  # the cast's lead may skip two-factor, as demo accounts do
    lead = cast.lead
    lead.is_demo = True
    lead.save()

    page = new_page()
    page.go("/sign-in/")
    page.get_by_label("Email address").fill(lead.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(page.base_url + "/")

    page.go("/framework/qif-2019/indicators/2.1/")
    assert page.locator("main .ds_tag").all_inner_texts() == ["Title verified"]
    page.get_by_role(
        "link", name="Fill in the themes and illustrations from your copy of the framework"
    ).click()
    page.axe("fill in")

    # Without naming the copy: the error is shown and what was typed is kept.
    page.get_by_label("Themes").fill("A theme from our copy\nAnother theme")
    page.get_by_label("Illustration of very good practice (level 5)").fill("Very good text.")
    page.get_by_role("button", name="Save").click()
    assert (
        "Say which copy of the framework you copied from"
        in page.locator(".ds_error-summary").inner_text()
    )
    assert page.get_by_label("Themes").input_value() == "A theme from our copy\nAnother theme"
    page.axe("fill in, with an error")

    page.get_by_label("Which copy of the framework did you copy from?").fill(
        "Quality improvement framework, 2019 edition, page 23"
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(page.base_url + "/framework/qif-2019/indicators/2.1/")
    assert page.locator("[data-testid=themes] li").all_inner_texts() == [
        "A theme from our copy",
        "Another theme",
    ]
    filled = page.locator("[data-testid=fill-in-filled]").inner_text()
    assert filled.startswith(
        "Filled in by Lead Person from Quality improvement framework, 2019 edition, page 23 on "
    )
    assert page.locator("main .ds_tag").all_inner_texts() == ["Title verified"]
    page.axe("quality indicator 2.1, filled in")
