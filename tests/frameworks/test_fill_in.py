"""Filling in an indicator's themes and illustrations from one's own copy of the framework.

The partnership lead fills them in for their partnership; an administrator (staff) fills
them in for every partnership that has not filled in its own. Either way the page says who
filled them in and from which copy, and never calls them verified.
"""

from __future__ import annotations

from typing import Any

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from howgood.core.models import AuditEvent
from howgood.frameworks import selectors, services
from howgood.frameworks.models import IndicatorContent, QualityIndicator
from tests.conftest import make_user, sign_in
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db

QI_21 = reverse("frameworks:indicator", args=["qif-2019", "2.1"])
FILL_IN = reverse("frameworks:fill_in", args=["qif-2019", "2.1"])
COPY = "Quality improvement framework, 2019 edition, page 23"
FILLED = "fill-in-filled"


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _tree(response: Any) -> Any:
    return lxml.html.fromstring(response.content.decode())


def _tags(tree: Any) -> list[str]:
    return [_text(t) for t in tree.xpath('//span[contains(concat(" ", @class, " "), " ds_tag ")]')]


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "copied_from": COPY,
        "themes": "First theme from our copy\n\n  Second theme from our copy  \n",
        "illustration_very_good": "Our copy's very good illustration.\n\nSecond paragraph.",
        "illustration_weak": "Our copy's weak illustration.",
        "submission_key": "key-1",
    }
    data.update(overrides)
    return data


def test_the_lead_fills_in_themes_and_illustrations(
    cast: Any, framework: Any, client_for: Any
) -> None:
    lead = client_for("lead")
    # The indicator page offers the form to the lead, and only to the lead.
    assert FILL_IN in lead.get(QI_21).content.decode()
    assert FILL_IN not in client_for("viewer").get(QI_21).content.decode()

    page = lead.get(FILL_IN)
    assert page.status_code == 200
    tree = _tree(page)
    labels = [_text(label) for label in tree.xpath("//form//label")]
    assert labels[0].startswith("Which copy of the framework did you copy from?")
    assert tree.xpath('//input[@name="submission_key"]')

    response = lead.post(FILL_IN, _form())
    assert response.status_code == 302
    assert response["Location"] == QI_21

    tree = _tree(lead.get(QI_21))
    assert [_text(li) for li in tree.xpath('//ul[@data-testid="themes"]/li')] == [
        "First theme from our copy",
        "Second theme from our copy",
    ]
    cells = tree.xpath('//table[@data-testid="illustrations"]/tbody/tr/td')
    assert _text(cells[0]) == "Our copy's very good illustration. Second paragraph."
    assert _text(cells[1]) == "Our copy's weak illustration."
    filled = _text(tree.xpath(f'//*[@data-testid="{FILLED}"]')[0])
    assert filled.startswith(f"Filled in by Lead Person from {COPY} on ")
    assert "HowGood has not checked this text against the published framework" in filled
    assert "Not yet transcribed" not in _text(tree)
    # Filled in is not verified: the tag stays what it was.
    assert _tags(tree) == ["Title verified"]
    assert "Verified" not in _tags(tree)

    content = IndicatorContent.objects.get()
    assert content.partnership == cast.a
    assert content.filled_in_by == cast.lead
    assert content.themes == ["First theme from our copy", "Second theme from our copy"]
    # The framework's own row is untouched: a reload from the file never loses the copy.
    qi = QualityIndicator.objects.get(number="2.1")
    assert qi.themes == [] and qi.illustration_very_good == ""


def test_the_edit_is_audited(cast: Any, framework: Any, client_for: Any) -> None:
    client_for("lead").post(FILL_IN, _form())
    event = AuditEvent.objects.get(action="frameworks.indicator.filled_in")
    assert event.actor == cast.lead
    assert event.partnership == cast.a
    assert event.target_label == "QI 2.1"
    assert event.data["copied_from"] == COPY
    assert event.data["changed"]["themes"] == [
        [],
        ["First theme from our copy", "Second theme from our copy"],
    ]
    assert event.data["for"] == "Partnership A"

    # Changing it again records what changed, before and after.
    client_for("lead").post(
        FILL_IN, _form(illustration_weak="Corrected weak text.", submission_key="key-2")
    )
    latest = AuditEvent.objects.filter(action="frameworks.indicator.filled_in").first()
    assert latest is not None and latest.pk != event.pk
    assert latest.data["changed"] == {
        "illustration_weak": ["Our copy's weak illustration.", "Corrected weak text."]
    }
    assert IndicatorContent.objects.count() == 1


def test_a_double_submit_makes_one_copy_and_one_event(
    cast: Any, framework: Any, client_for: Any
) -> None:
    lead = client_for("lead")
    first = lead.post(FILL_IN, _form())
    second = lead.post(FILL_IN, _form())
    assert first.status_code == second.status_code == 302
    assert second["Location"] == QI_21
    assert IndicatorContent.objects.count() == 1
    assert AuditEvent.objects.filter(action="frameworks.indicator.filled_in").count() == 1


def test_saving_the_same_text_again_changes_nothing(cast: Any, framework: Any) -> None:
    qi = QualityIndicator.objects.get(number="2.1")
    args = {
        "quality_indicator": qi,
        "partnership": cast.a,
        "themes": ["A theme"],
        "illustration_very_good": "Very good.",
        "illustration_weak": "Weak.",
        "copied_from": COPY,
        "actor": cast.lead,
    }
    services.indicator_fill_in(**args)
    services.indicator_fill_in(**args)
    assert IndicatorContent.objects.count() == 1
    assert AuditEvent.objects.filter(action="frameworks.indicator.filled_in").count() == 1


def test_the_form_keeps_what_was_typed_when_the_copy_is_not_named(
    cast: Any, framework: Any, client_for: Any
) -> None:
    response = client_for("lead").post(FILL_IN, _form(copied_from="   "))
    assert response.status_code == 400
    tree = _tree(response)
    summary = _text(tree.xpath('//*[contains(@class, "ds_error-summary")]')[0])
    assert "Say which copy of the framework you copied from" in summary
    assert tree.xpath('//textarea[@name="themes"]')[0].text_content().strip() == (
        "First theme from our copy\n\n  Second theme from our copy"
    )
    assert (
        "Our copy's weak illustration."
        in tree.xpath('//textarea[@name="illustration_weak"]')[0].text_content()
    )
    assert not IndicatorContent.objects.exists()
    assert not AuditEvent.objects.filter(action="frameworks.indicator.filled_in").exists()


def test_a_long_theme_is_named_by_its_line(cast: Any, framework: Any, client_for: Any) -> None:
    themes = "Fine\n\n" + "x" * 501 + "\nAlso fine"
    response = client_for("lead").post(FILL_IN, _form(themes=themes))
    assert response.status_code == 400
    summary = _text(_tree(response).xpath('//*[contains(@class, "ds_error-summary")]')[0])
    assert "Line 3 of the themes is 501 characters long: keep each theme to 500 or fewer" in summary
    assert not IndicatorContent.objects.exists()


def test_too_many_themes_and_nothing_to_save(cast: Any, framework: Any) -> None:
    qi = QualityIndicator.objects.get(number="2.1")
    with pytest.raises(ValidationError) as error:
        services.indicator_fill_in(
            quality_indicator=qi,
            partnership=cast.a,
            themes=[f"Theme {n}" for n in range(41)],
            illustration_very_good="",
            illustration_weak="",
            copied_from=COPY,
            actor=cast.lead,
        )
    assert error.value.message_dict["themes"] == [
        "There are 41 themes: HowGood keeps up to 40 for one indicator."
    ]
    with pytest.raises(ValidationError) as error:
        services.indicator_fill_in(
            quality_indicator=qi,
            partnership=cast.a,
            themes=[],
            illustration_very_good=" ",
            illustration_weak="",
            copied_from=COPY,
            actor=cast.lead,
        )
    assert error.value.messages == [
        "Fill in at least one theme or illustration: there is nothing to save."
    ]
    assert not IndicatorContent.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "contributor", "coordinator", "outsider"])
def test_others_cannot_fill_in(cast: Any, framework: Any, client_for: Any, who: str) -> None:
    client = client_for(who)
    assert client.get(FILL_IN).status_code == 403
    assert client.post(FILL_IN, _form()).status_code == 403
    assert not IndicatorContent.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(framework: Any) -> None:
    response = Client().post(FILL_IN, _form())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


def test_the_access_rule_lives_in_the_access_module(cast: Any, framework: Any) -> None:
    from howgood.frameworks import access

    class Request:
        def __init__(self, user: Any, membership: Any) -> None:
            self.user = user
            self.membership = membership
            self.partnership = membership.partnership if membership else None

    lead_membership = cast.lead.memberships.get()
    qi, partnership = access.get_indicator_to_fill_in(
        Request(cast.lead, lead_membership), "qif-2019", "2.1"
    )
    assert (qi.number, partnership) == ("2.1", cast.a)
    with pytest.raises(PermissionDenied):
        access.get_indicator_to_fill_in(
            Request(cast.viewer, cast.viewer.memberships.get()), "qif-2019", "2.1"
        )


def test_a_partnership_copy_stays_in_its_partnership(
    cast: Any, framework: Any, client_for: Any
) -> None:
    client_for("lead").post(FILL_IN, _form())
    # Everyone in partnership A sees it, whatever their role.
    viewer_page = _tree(client_for("viewer").get(QI_21))
    assert [_text(li) for li in viewer_page.xpath('//ul[@data-testid="themes"]/li')] == [
        "First theme from our copy",
        "Second theme from our copy",
    ]
    # Partnership B does not.
    body = client_for("outsider").get(QI_21).content.decode()
    assert "First theme from our copy" not in body
    assert "Lead Person" not in body
    assert "Not yet transcribed" in body

    # B's own lead fills in B's copy, which A does not see.
    b_lead = make_user("lead@b.example", "B Lead")
    cast.b.memberships.create(user=b_lead, role="lead")
    b_client = sign_in(Client(), b_lead)
    assert (
        b_client.post(FILL_IN, _form(themes="B's theme", submission_key="b-1")).status_code == 302
    )
    assert IndicatorContent.objects.count() == 2
    a_themes = _tree(client_for("viewer").get(QI_21)).xpath('//ul[@data-testid="themes"]/li')
    assert "B's theme" not in [_text(li) for li in a_themes]
    b_themes = _tree(b_client.get(QI_21)).xpath('//ul[@data-testid="themes"]/li')
    assert [_text(li) for li in b_themes] == ["B's theme"]


def test_an_administrator_fills_in_for_everyone_without_their_own_copy(
    cast: Any, framework: Any, client_for: Any
) -> None:
    admin = make_user("admin@howgood.example", "Ailsa Admin")
    admin.is_staff = True
    admin.save()
    client = sign_in(Client(), admin)
    assert client.get(FILL_IN).status_code == 200
    response = client.post(FILL_IN, _form(themes="Shared theme", submission_key="admin-1"))
    assert response.status_code == 302
    content = IndicatorContent.objects.get()
    assert content.partnership is None

    event = AuditEvent.objects.get(action="frameworks.indicator.filled_in")
    assert event.partnership is None and event.data["for"] == "every partnership"

    for who in ("viewer", "outsider"):
        tree = _tree(client_for(who).get(QI_21))
        assert [_text(li) for li in tree.xpath('//ul[@data-testid="themes"]/li')] == [
            "Shared theme"
        ]
        filled = _text(tree.xpath(f'//*[@data-testid="{FILLED}"]')[0])
        assert filled.startswith(f"Filled in by Ailsa Admin from {COPY} on ")
        assert "Verified" not in _tags(tree)

    # A partnership's own copy comes before the shared one, for that partnership only.
    client_for("lead").post(FILL_IN, _form(themes="A's own theme"))
    a_tree = _tree(client_for("viewer").get(QI_21))
    assert [_text(li) for li in a_tree.xpath('//ul[@data-testid="themes"]/li')] == ["A's own theme"]
    b_tree = _tree(client_for("outsider").get(QI_21))
    assert [_text(li) for li in b_tree.xpath('//ul[@data-testid="themes"]/li')] == ["Shared theme"]


def test_the_selector_gives_the_copy_a_partnership_reads(cast: Any, framework: Any) -> None:
    qi = QualityIndicator.objects.get(number="2.1")
    assert selectors.indicator_content(qi, cast.a).source == "framework"
    services.indicator_fill_in(
        quality_indicator=qi,
        partnership=cast.a,
        themes=["A theme"],
        illustration_very_good="",
        illustration_weak="Weak.",
        copied_from=COPY,
        actor=cast.lead,
    )
    shown = selectors.indicator_content(qi, cast.a)
    assert (shown.source, shown.themes, shown.illustration_weak) == (
        "partnership",
        ["A theme"],
        "Weak.",
    )
    assert shown.filled_in is not None and shown.filled_in.copied_from == COPY
    assert selectors.indicator_content(qi, cast.b).source == "framework"
    assert selectors.indicator_content(qi, None).source == "framework"


def test_indicator_page_query_count_does_not_grow_with_copies(
    cast: Any, framework: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    for qi in QualityIndicator.objects.all():
        services.indicator_fill_in(
            quality_indicator=qi,
            partnership=cast.a,
            themes=["A theme"],
            illustration_very_good="Very good.",
            illustration_weak="Weak.",
            copied_from=COPY,
            actor=cast.lead,
        )
    viewer = client_for("viewer")
    with django_assert_num_queries(12):
        page = viewer.get(QI_21)
    assert page.status_code == 200
    text = page_text(page)
    assert f"| Filled in by Lead Person from {COPY} on " in text
    assert "| Themes | A theme | Illustrations |" in text
    assert "| Very good (level 5) | Weak (level 2) | Very good. | Weak. |" in text


def test_the_form_opens_with_what_was_filled_in_before(
    cast: Any, framework: Any, client_for: Any
) -> None:
    lead = client_for("lead")
    lead.post(FILL_IN, _form())
    tree = _tree(lead.get(FILL_IN))
    assert tree.xpath('//input[@name="copied_from"]/@value') == [COPY]
    assert tree.xpath('//textarea[@name="themes"]')[0].text_content().strip() == (
        "First theme from our copy\nSecond theme from our copy"
    )
    assert "Change the themes and illustrations" in _text(_tree(lead.get(QI_21)))


def test_an_illustration_that_is_too_long_is_refused(cast: Any, framework: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.indicator_fill_in(
            quality_indicator=QualityIndicator.objects.get(number="2.1"),
            partnership=cast.a,
            themes=[],
            illustration_very_good="x" * 10_001,
            illustration_weak="",
            copied_from=COPY,
            actor=cast.lead,
        )
    assert error.value.message_dict == {
        "illustration_very_good": [
            "The very good illustration is 10,001 characters long: HowGood keeps up to 10,000."
        ]
    }


def test_an_administrator_without_two_factor_is_refused(framework: Any) -> None:
    admin = make_user("admin@howgood.example", "Ailsa Admin")
    admin.is_staff = True
    admin.save()
    client = sign_in(Client(), admin, verified=False)
    assert client.get(FILL_IN).status_code == 403
    assert client.post(FILL_IN, _form()).status_code == 403
    assert not IndicatorContent.objects.exists()


def test_verified_content_is_not_filled_in_over(
    cast: Any,
    framework: Any,
    client_for: Any,
    qif_data: dict[str, Any],
    write_framework: Any,
) -> None:
    from howgood.frameworks.services import framework_load

    client_for("lead").post(FILL_IN, _form())  # filled in before the file was corrected
    qi = next(q for q in qif_data["quality_indicators"] if q["number"] == "2.1")
    qi.update(
        themes=["Test theme"],
        illustration_very_good="Test very good.",
        illustration_weak="Test weak.",
        content_status="V",
    )
    framework_load(path=write_framework(qif_data), actor=None)

    lead = client_for("lead")
    tree = _tree(lead.get(QI_21))
    assert [_text(li) for li in tree.xpath('//ul[@data-testid="themes"]/li')] == ["Test theme"]
    assert not tree.xpath(f'//*[@data-testid="{FILLED}"]')
    assert _tags(tree) == ["Verified"]
    assert FILL_IN not in lead.get(QI_21).content.decode()
    assert lead.get(FILL_IN).status_code == 403
    # The partnership's copy is kept, not lost.
    assert IndicatorContent.objects.filter(partnership=cast.a).count() == 1


def test_a_workshop_shows_the_partnerships_filled_in_text_beside_the_work(
    cast: Any, framework: Any, client_for: Any
) -> None:
    from howgood.selfevaluation import services as selfevaluation

    qi = QualityIndicator.objects.get(number="2.1")
    workshop = selfevaluation.workshop_create(
        partnership=cast.a, title="Workshop on 2.1", quality_indicators=[qi], actor=cast.lead
    )
    url = reverse("selfevaluation:focus", args=[workshop.foci.get().pk])

    # Before anyone fills it in, the page says who can: the partnership lead.
    tree = _tree(client_for("contributor").get(url))
    empty = _text(tree.xpath('//*[@data-testid="no-illustrations"]')[0])
    assert "ask your partnership lead to fill them in from their copy of the framework" in empty
    assert "QA coordinator" not in empty

    client_for("lead").post(FILL_IN, _form())
    tree = _tree(client_for("contributor").get(url))
    aside = tree.xpath('//aside[@aria-labelledby="framework-title"]')[0]
    assert [_text(li) for li in aside.xpath('.//ul[@data-testid="themes"]/li')] == [
        "First theme from our copy",
        "Second theme from our copy",
    ]
    assert _text(aside.xpath('.//*[@data-testid="very-good"]')[0]) == (
        "Our copy's very good illustration. Second paragraph."
    )
    assert _text(aside.xpath('.//*[@data-testid="weak"]')[0]) == "Our copy's weak illustration."
    assert _text(aside.xpath('.//*[@data-testid="filled-in"]')[0]).startswith(
        f"Filled in by Lead Person from {COPY} on "
    )
    assert not aside.xpath('.//*[@data-testid="no-illustrations"]')


def test_the_copy_must_be_named_and_each_limit_is_said(cast: Any, framework: Any) -> None:
    qi = QualityIndicator.objects.get(number="2.1")
    args: dict[str, Any] = {
        "quality_indicator": qi,
        "partnership": cast.a,
        "themes": ["A theme", "x" * 501],
        "illustration_very_good": "Very good.",
        "illustration_weak": "",
        "copied_from": "  ",
        "actor": cast.lead,
    }
    with pytest.raises(ValidationError) as error:
        services.indicator_fill_in(**args)
    assert error.value.message_dict == {
        "copied_from": [
            "Say which copy of the framework you copied from: its title, edition and page."
        ],
        "themes": ["Theme 2 is 501 characters long: keep each theme to 500 or fewer."],
    }
    with pytest.raises(ValidationError) as error:
        services.indicator_fill_in(**{**args, "themes": ["A theme"], "copied_from": "c" * 301})
    assert error.value.message_dict == {
        "copied_from": ["The name of your copy is 301 characters long: keep it to 300 or fewer."]
    }
    assert not IndicatorContent.objects.exists()


def test_two_first_saves_at_once_leave_one_copy_with_the_later_text(
    cast: Any, framework: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.models.query import QuerySet

    qi = QualityIndicator.objects.get(number="2.1")
    args: dict[str, Any] = {
        "quality_indicator": qi,
        "partnership": cast.a,
        "themes": ["The first theme"],
        "illustration_very_good": "Very good.",
        "illustration_weak": "Weak.",
        "copied_from": COPY,
        "actor": cast.lead,
    }
    services.indicator_fill_in(**args)  # the other request, committed just after we looked
    first = QuerySet.first
    looked: list[bool] = []

    def not_there_yet(self: Any) -> Any:
        if self.model is IndicatorContent and not looked:
            looked.append(True)
            return None
        return first(self)

    monkeypatch.setattr(QuerySet, "first", not_there_yet)
    content = services.indicator_fill_in(**{**args, "themes": ["The later theme"]})
    assert looked == [True]
    assert IndicatorContent.objects.count() == 1
    assert IndicatorContent.objects.get().themes == ["The later theme"]
    assert content.themes == ["The later theme"]
    assert AuditEvent.objects.filter(action="frameworks.indicator.filled_in").count() == 2
