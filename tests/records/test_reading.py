"""Reading a record: only your own, saving as you go, conflicts, names, submit, concerns,
moderation, and deleting case data."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from howgood.core.models import AuditEvent
from howgood.partnerships.models import Membership
from howgood.questionnaires.selectors import answers_of
from howgood.records.models import Case, Concern, Moderation, Reading

pytestmark = pytest.mark.django_db


def first_case(exercise):  # type: ignore[no-untyped-def]
    return (
        Case.objects.filter(exercise=exercise, sample_status="sampled")
        .order_by("reading_id")
        .first()
    )


def start(client, case) -> Reading:  # type: ignore[no-untyped-def]
    response = client.post(reverse("records:reading_start", args=[case.pk]))
    assert response.status_code == 302, response.status_code
    return Reading.objects.get(case=case, membership__user=response.wsgi_request.user)


def answer_all(client, reading, seen_alone="yes", quality="4"):  # type: ignore[no-untyped-def]
    one = reverse("records:reading_section", args=[reading.pk, 0])
    reading.refresh_from_db()
    r = client.post(
        one,
        {
            "ird_held": "yes",
            "ird_timely": "no",
            "initial_quality": quality,
            "initial_quality_reason": "Timely and thorough response by the team",
            "_shown": "ird_held ird_timely initial_quality initial_quality_reason",
            "lock_version": reading.lock_version,
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    reading.refresh_from_db()
    r = client.post(
        reverse("records:reading_section", args=[reading.pk, 1]),
        {
            "seen_alone": seen_alone,
            "comments": "",
            "_shown": "seen_alone comments",
            "lock_version": reading.lock_version,
        },
    )
    assert r.status_code == 302
    reading.refresh_from_db()
    return client.post(
        reverse("records:reading_check", args=[reading.pk]), {"lock_version": reading.lock_version}
    )


def test_a_reader_sees_only_their_own_assignments(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("reader").get(reverse("records:my_readings")).content.decode()
    assert page.count("Start reading") == 8
    case = first_case(ready)
    # Someone trained but not in the pair cannot open the record.
    other = client_for("contributor")
    assert other.post(reverse("records:reading_start", args=[case.pk])).status_code == 404
    assert (
        client_for("outsider").post(reverse("records:reading_start", args=[case.pk])).status_code
        == 404
    )
    reading = start(client_for("reader"), case)
    assert (
        client_for("moderator")
        .get(reverse("records:reading_section", args=[reading.pk, 0]))
        .status_code
        == 404
    )
    assert (
        client_for("coordinator")
        .get(reverse("records:reading_section", args=[reading.pk, 0]))
        .status_code
        == 404
    )


def test_opening_a_reading_is_audited(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = start(client, first_case(ready))
    client.get(reverse("records:reading_section", args=[reading.pk, 0]))
    assert (
        AuditEvent.objects.filter(action="records.reading.opened", actor=cast.reader).count() >= 2
    )


def test_save_later_resume_and_submit(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    case = first_case(ready)
    reading = start(client, case)
    url = reverse("records:reading_section", args=[reading.pk, 0])
    later = client.post(
        url,
        {
            "ird_held": "yes",
            "initial_quality": "",
            "later": "1",
            "_shown": "ird_held",
            "lock_version": reading.lock_version,
        },
    )
    assert later.status_code == 302
    assert answers_of(reading.submission) == {"ird_held": "yes"}
    resumed = client.get(url).content.decode()
    assert re.findall(r'<input[^>]* value="([^"]*)" checked', resumed) == ["yes"]
    assert 'id="id_ird_held_0" value="yes" checked' in resumed
    done = answer_all(client, reading)
    assert done.status_code == 302
    reading.refresh_from_db()
    assert reading.status == "submitted" and reading.submission.submitted_on is not None
    again = client.post(reverse("records:reading_check", args=[reading.pk]), {"lock_version": 0})
    assert again.status_code == 200 and Reading.objects.filter(case=case).count() == 1


def test_two_tabs_get_a_conflict_not_an_overwrite(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = start(client, first_case(ready))
    url = reverse("records:reading_section", args=[reading.pk, 0])
    stale = reading.lock_version
    client.post(url, {"ird_held": "no", "later": "1", "lock_version": stale})
    second = client.post(url, {"ird_held": "yes", "later": "1", "lock_version": stale})
    assert second.status_code == 409 and b"changed in another tab" in second.content
    assert answers_of(reading.submission)["ird_held"] == "no"


def test_autosave_saves_what_is_valid(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = start(client, first_case(ready))
    response = client.post(
        reverse("records:reading_autosave", args=[reading.pk, 0]),
        {"ird_held": "partly", "initial_quality": "9", "lock_version": reading.lock_version},
    )
    assert b"Saved at" in response.content and b'hx-swap-oob="true"' in response.content
    assert answers_of(reading.submission) == {
        "ird_held": "partly"
    }  # the invalid answer is left out


def test_a_possible_name_is_warned_about_once(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = start(client, first_case(ready))
    answer_all(client, reading)  # fills section 1; reading now submitted
    other = start(
        client,
        Case.objects.filter(exercise=ready, sample_status="sampled").order_by("reading_id")[1],
    )
    url = reverse("records:reading_section", args=[other.pk, 1])
    data = {
        "seen_alone": "yes",
        "comments": "The child told Mrs Jenkins about it.",
        "_shown": "seen_alone comments",
        "lock_version": other.lock_version,
    }
    warned = client.post(url, data)
    assert warned.status_code == 400 and b"Mrs Jenkins" in warned.content
    accepted = client.post(url, {**data, "names_checked": "1"})
    assert accepted.status_code == 302


def test_concern_reaches_the_lead_and_moves_through_its_steps(
    cast, ready, client_for, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    case = first_case(ready)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("reader").post(
            reverse("records:concern_create", args=[case.pk]),
            {"description": "Recent injury not followed up.", "submission_key": "c1"},
        )
    concern = Concern.objects.get()
    assert response["Location"] == reverse("records:concern", args=[concern.pk])
    assert mail.outbox[0].to == ["lead@a.example"] and case.reading_id in mail.outbox[0].subject
    assert "injury" not in mail.outbox[0].body  # nothing about the child in the email
    lead = client_for("lead")
    assert case.reading_id in lead.get("/").content.decode()
    assert (
        client_for("reader")
        .post(reverse("records:concern", args=[concern.pk]), {"note": "x"})
        .status_code
        == 403
    )
    lead.post(reverse("records:concern", args=[concern.pk]), {"note": ""})
    missing = lead.post(reverse("records:concern", args=[concern.pk]), {"note": ""})
    assert b"Say what was done" in missing.content
    lead.post(reverse("records:concern", args=[concern.pk]), {"note": "Referred to the duty team"})
    concern.refresh_from_db()
    assert concern.status == "action_taken"
    assert [s.status for s in concern.steps.all()] == ["raised", "acknowledged", "action_taken"]
    # An open concern blocks deleting the case data: nothing may hide it.
    blocked = client_for("coordinator").post(reverse("records:case_data_delete", args=[ready.pk]))
    assert blocked.status_code == 400 and b"still open" in blocked.content
    lead.post(
        reverse("records:concern", args=[concern.pk]), {"note": "Closed after the case conference"}
    )
    assert (
        client_for("coordinator")
        .post(reverse("records:case_data_delete", args=[ready.pk]))
        .status_code
        == 302
    )
    concern.refresh_from_db()
    assert concern.reading_id == case.reading_id and concern.case is None
    assert not Case.objects.filter(exercise=ready).exists()
    assert AuditEvent.objects.filter(action="records.case_data.deleted").exists()


def test_moderation_side_by_side_agreed_answers_and_notes(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    case = first_case(ready)
    reader = client_for("reader")
    moderator = client_for("moderator")
    answer_all(reader, start(reader, case), seen_alone="yes", quality="4")
    url = reverse("records:moderation", args=[case.pk])
    assert moderator.get(url).status_code == 302  # not yet: the moderator has not submitted
    answer_all(moderator, start(moderator, case), seen_alone="no", quality="3")
    page = moderator.get(url)
    assert page.status_code == 200 and b'data-testid="difference-count">2<' in page.content
    assert client_for("reader").get(url).status_code == 403
    incomplete = moderator.post(
        url, {"complete": "1", "agreed__initial_quality": "4", "lock_version": 0}
    )
    assert incomplete.status_code == 400 and b"Say why you agreed" in incomplete.content
    moderation = Moderation.objects.get(case=case)
    done = moderator.post(
        url,
        {
            "complete": "1",
            "agreed__initial_quality": "4",
            "note__initial_quality": "Records show a prompt IRD",
            "agreed__seen_alone": "yes",
            "note__seen_alone": "Seen alone at school",
            "lock_version": moderation.lock_version,
        },
    )
    assert done.status_code == 302
    moderation.refresh_from_db()
    assert moderation.completed_at and moderation.notes["seen_alone"] == "Seen alone at school"
    agreed = answers_of(moderation.submission)
    assert (
        agreed["initial_quality"] == "4"
        and agreed["seen_alone"] == "yes"
        and agreed["ird_held"] == "yes"
    )


def test_membership_of_reader_is_needed_to_read(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    Membership.objects.filter(user=cast.reader, partnership=cast.a).update(is_active=False)
    assert client_for("reader").post(
        reverse("records:reading_start", args=[first_case(ready).pk])
    ).status_code in (403, 404)


def test_a_pages_own_autosave_does_not_conflict_with_its_save(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = start(client, first_case(ready))
    opened = reading.lock_version
    client.post(
        reverse("records:reading_autosave", args=[reading.pk, 0]),
        {"ird_held": "no", "lock_version": opened, "tab": "tab-one"},
    )
    save = client.post(
        reverse("records:reading_section", args=[reading.pk, 0]),
        {"ird_held": "yes", "later": "1", "lock_version": opened, "tab": "tab-one"},
    )
    assert save.status_code == 302 and answers_of(reading.submission)["ird_held"] == "yes"
    other = client.post(
        reverse("records:reading_section", args=[reading.pk, 0]),
        {"ird_held": "no", "later": "1", "lock_version": opened, "tab": "tab-two"},
    )
    assert other.status_code == 409


def test_a_reader_cannot_open_another_pairs_record_or_reading(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    from howgood.records import services
    from tests.records.conftest import train

    other = Membership.objects.get(user=cast.other_reader, partnership=cast.a)
    moderator = Membership.objects.get(user=cast.moderator, partnership=cast.a)
    train(other)
    theirs = services.pair_create(
        exercise=ready, reader=other, moderator=moderator, actor=cast.coordinator
    )
    mine, their_case = list(
        Case.objects.filter(exercise=ready, sample_status="sampled").order_by("reading_id")[:2]
    )
    services.cases_assign(exercise=ready, assignments={their_case.pk: theirs.pk}, actor=cast.lead)
    reader, other_reader = client_for("reader"), client_for("other_reader")
    my_reading = start(reader, mine)
    their_reading = start(other_reader, their_case)
    my_page = reader.get(reverse("records:my_readings")).content.decode()
    assert mine.reading_id in my_page and their_case.reading_id not in my_page
    their_page = other_reader.get(reverse("records:my_readings")).content.decode()
    assert their_case.reading_id in their_page and mine.reading_id not in their_page
    for client, case, reading in (
        (reader, their_case, their_reading),
        (other_reader, mine, my_reading),
    ):
        assert client.post(reverse("records:reading_start", args=[case.pk])).status_code == 404
        assert client.get(reverse("records:concern_create", args=[case.pk])).status_code == 404
        for url in (
            reverse("records:reading_section", args=[reading.pk, 0]),
            reverse("records:reading_check", args=[reading.pk]),
        ):
            assert client.get(url).status_code == 404
    assert Reading.objects.filter(case=mine).count() == 1
    assert Reading.objects.filter(case=their_case).count() == 1


@pytest.mark.parametrize(
    "back",
    [
        "https://evil.example/",
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        " //evil.example",
        "/\t/evil.example",
        "data:text/html,hello",
        "records/",
    ],
)
def test_the_concern_forms_back_link_stays_on_the_site(cast, ready, client_for, back) -> None:  # type: ignore[no-untyped-def]
    case = first_case(ready)
    page = client_for("reader").get(
        reverse("records:concern_create", args=[case.pk]), {"back": back}
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert f'class="ds_back-link" href="{reverse("records:my_readings")}"' in html
    assert "evil.example" not in html and "javascript:" not in html.lower()


def test_the_concern_forms_back_link_returns_to_the_reading(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    case = first_case(ready)
    reading = start(client, case)
    section = reverse("records:reading_section", args=[reading.pk, 1])
    section_page = client.get(section).content.decode()
    link = reverse("records:concern_create", args=[case.pk]) + "?back=" + section
    assert f'href="{link}"' in section_page
    html = client.get(link).content.decode()
    assert f'class="ds_back-link" href="{section}"' in html


def test_pages_of_childrens_records_are_audited(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    coordinator = client_for("coordinator")
    for name, page in (
        ("records:exercise", "exercise"),
        ("records:cases", "records"),
        ("records:assign", "assign"),
    ):
        response = coordinator.get(reverse(name, args=[ready.pk]))
        assert response.status_code == 200
        event = AuditEvent.objects.filter(action="records.case_data.viewed").latest("pk")
        assert (event.actor, event.target_id, event.data) == (
            cast.coordinator,
            str(ready.pk),
            {"page": page},
        )
        assert event.partnership == cast.a
    assert AuditEvent.objects.filter(action="records.case_data.viewed").count() == 3
    # Someone turned away leaves no "viewed" event.
    assert (
        client_for("viewer", verified=False)
        .get(reverse("records:cases", args=[ready.pk]))
        .status_code
        == 403
    )
    assert AuditEvent.objects.filter(action="records.case_data.viewed").count() == 3


def test_opening_a_matter_of_concern_is_audited(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    case = first_case(ready)
    from howgood.records import services

    concern = services.concern_raise(case=case, description="Bruising", actor=cast.reader)
    url = reverse("records:concern", args=[concern.pk])
    for who in ("lead", "reader"):
        assert client_for(who).get(url).status_code == 200
    events = AuditEvent.objects.filter(action="records.concern.viewed").order_by("pk")
    assert [(e.actor, e.target_id) for e in events] == [
        (cast.lead, str(concern.pk)),
        (cast.reader, str(concern.pk)),
    ]
    assert all(e.partnership == cast.a for e in events)
    assert client_for("other_reader").get(url).status_code == 404
    assert events.count() == 2


def _half_answered(client, ready):  # type: ignore[no-untyped-def]
    """A reading with only its first question answered: three required answers missing."""
    reading = start(client, first_case(ready))
    saved = client.post(
        reverse("records:reading_section", args=[reading.pk, 0]),
        {"ird_held": "yes", "later": "1", "lock_version": reading.lock_version},
    )
    assert saved.status_code == 302
    reading.refresh_from_db()
    return reading


def test_the_service_refuses_to_submit_a_reading_with_required_answers_missing(
    cast, ready, client_for
) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    from howgood.records import services

    reading = _half_answered(client_for("reader"), ready)
    with pytest.raises(ValidationError) as refused:
        services.reading_submit(
            reading=reading, lock_version=reading.lock_version, actor=cast.reader
        )
    assert refused.value.messages == [
        "3 required questions have no answer yet. Answer them, then submit."
    ]
    reading.refresh_from_db()
    assert reading.status == "in_progress"
    assert reading.submitted_at is None
    assert not AuditEvent.objects.filter(action="records.reading.submitted").exists()


def test_submitting_with_required_answers_missing_shows_them_and_changes_nothing(
    cast, ready, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = _half_answered(client, ready)
    response = client.post(
        reverse("records:reading_check", args=[reading.pk]), {"lock_version": reading.lock_version}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "3 required questions have no answer yet. Answer them, then submit." in page
    assert "3 required questions still to answer" in page
    reading.refresh_from_db()
    assert reading.status == "in_progress"
    assert reading.submitted_at is None


FIRST_SECTION = {
    "ird_held": "yes",
    "ird_timely": "no",
    "initial_quality": "4",
    "initial_quality_reason": "Timely and thorough response by the team",
    "_shown": "ird_held ird_timely initial_quality initial_quality_reason",
}


def _save_first_section_then_autosave_late(client, reading):  # type: ignore[no-untyped-def]
    """Page A (section 1) saves and goes on; its autosave, sent just before the press and
    held up on the way, arrives after the next page has opened. Returns the version the next
    page was opened with."""
    opened = reading.lock_version
    saved = client.post(
        reverse("records:reading_section", args=[reading.pk, 0]),
        {**FIRST_SECTION, "lock_version": opened, "tab": "page-a"},
    )
    assert saved.status_code == 302
    next_page = client.get(saved["Location"])
    assert next_page.status_code == 200
    reading.refresh_from_db()
    next_version = reading.lock_version
    late = client.post(
        reverse("records:reading_autosave", args=[reading.pk, 0]),
        {**FIRST_SECTION, "lock_version": opened, "tab": "page-a"},
    )
    assert late.status_code == 200
    assert b"Not saved" not in late.content
    return next_version


def test_a_late_autosave_of_the_previous_page_never_conflicts_with_the_next(
    cast, ready, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = start(client, first_case(ready))
    opened_with = _save_first_section_then_autosave_late(client, reading)
    reading.refresh_from_db()
    assert reading.section_index == 1  # the late autosave does not move the resume point back
    saved = client.post(
        reverse("records:reading_section", args=[reading.pk, 1]),
        {
            "seen_alone": "no",
            "comments": "",
            "_shown": "seen_alone comments",
            "lock_version": opened_with,
            "tab": "page-b",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert saved["Location"] == reverse("records:reading_check", args=[reading.pk])
    assert answers_of(reading.submission) == {
        "ird_held": "yes",
        "ird_timely": "no",
        "initial_quality": "4",
        "initial_quality_reason": "Timely and thorough response by the team",
        "seen_alone": "no",
    }


def test_a_late_autosave_never_stops_the_reading_being_submitted(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = start(client, first_case(ready))
    reading.refresh_from_db()
    saved = client.post(
        reverse("records:reading_section", args=[reading.pk, 1]),
        {
            "seen_alone": "yes",
            "_shown": "seen_alone comments",
            "lock_version": reading.lock_version,
            "tab": "page-b",
        },
    )
    assert saved.status_code == 302
    reading.refresh_from_db()
    opened_with = _save_first_section_then_autosave_late(client, reading)
    submitted = client.post(
        reverse("records:reading_check", args=[reading.pk]), {"lock_version": opened_with}
    )
    assert submitted.status_code == 302, submitted.content.decode()[:3000]
    reading.refresh_from_db()
    assert reading.status == "submitted"


def test_another_tabs_save_conflicts_and_the_page_shows_both_answers(
    cast, ready, client_for
) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = start(client, first_case(ready))
    url = reverse("records:reading_section", args=[reading.pk, 0])
    opened = reading.lock_version
    other_tab = client.post(
        url, {"ird_held": "no", "later": "1", "lock_version": opened, "tab": "tab-two"}
    )
    assert other_tab.status_code == 302
    this_tab = client.post(
        url, {"ird_held": "partly", "later": "1", "lock_version": opened, "tab": "tab-one"}
    )
    assert this_tab.status_code == 409
    page = this_tab.content.decode()
    assert "Your answers were not saved" in page
    assert "This section was changed in another tab or window since you opened this page." in page
    import lxml.html

    tree = lxml.html.fromstring(page)
    (table,) = tree.xpath("//*[@data-testid='conflict-answers']")
    rows = [
        [" ".join(c.text_content().split()) for c in tr.xpath("th|td")]
        for tr in table.xpath(".//tr")
    ]
    assert rows == [
        ["Question", "Saved in the other tab", "On this page, not saved"],
        ["Was an inter-agency referral discussion (IRD) held?", "No", "Partly"],
    ]
    assert answers_of(reading.submission) == {"ird_held": "no"}
    # This tab's answers are still in the form, ready to save over the other tab's.
    (form,) = tree.xpath("//form[@data-hg-questionnaire]")
    assert form.xpath(".//input[@name='ird_held'][@checked]/@value") == ["partly"]
    (version,) = form.xpath(".//input[@name='lock_version']/@value")
    again = client.post(
        url, {"ird_held": "partly", "later": "1", "lock_version": version, "tab": "tab-one"}
    )
    assert again.status_code == 302
    assert answers_of(reading.submission) == {"ird_held": "partly"}


def test_another_tab_that_saved_the_same_answers_is_no_conflict(cast, ready, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("reader")
    reading = start(client, first_case(ready))
    url = reverse("records:reading_section", args=[reading.pk, 0])
    opened = reading.lock_version
    client.post(url, {"ird_held": "no", "later": "1", "lock_version": opened, "tab": "tab-two"})
    same = client.post(
        url, {"ird_held": "no", "later": "1", "lock_version": opened, "tab": "tab-one"}
    )
    assert same.status_code == 302
    assert answers_of(reading.submission) == {"ird_held": "no"}


def test_the_service_tells_a_pages_own_autosave_from_another_tab(cast, ready) -> None:  # type: ignore[no-untyped-def]
    from howgood.records import services

    reader = Membership.objects.get(user=cast.reader, partnership=cast.a)
    reading = services.reading_open(case=first_case(ready), membership=reader)
    opened = reading.lock_version

    def save(tab, values, *, autosave=False, version=opened):  # type: ignore[no-untyped-def]
        return services.reading_save(
            reading=reading,
            lock_version=version,
            values=values,
            section_index=0,
            actor=cast.reader,
            tab=tab,
            autosave=autosave,
        )

    # The page's autosave lands first; its save, sent with the version the page opened
    # with, is still the page's own work.
    assert save("page-a", {"ird_held": "no"}, autosave=True).lock_version == opened + 1
    assert save("page-a", {"ird_held": "yes"}).lock_version == opened + 2
    # Its autosave arriving after its save is dropped: nothing changes.
    assert save("page-a", {"ird_held": "no"}, autosave=True).lock_version == opened + 2
    assert answers_of(reading.submission) == {"ird_held": "yes"}
    # Another tab, opened before all that, autosaving the answer already saved: nothing to do.
    assert save("page-b", {"ird_held": "yes"}, autosave=True).lock_version == opened + 2
    # Another tab sending a different answer is refused, with both answers.
    with pytest.raises(services.Conflict) as conflict:
        save("page-b", {"ird_held": "partly"}, autosave=True)
    assert conflict.value.theirs == {"ird_held": "yes"}
    assert conflict.value.yours == {"ird_held": "partly"}
    assert answers_of(reading.submission) == {"ird_held": "yes"}


@pytest.mark.parametrize(
    ("stored", "sent", "same"),
    [
        (None, "", True),
        ([], None, True),
        (["b", "a"], ["a", "b"], True),
        (["a"], ["a", "b"], False),
        (date(2026, 3, 1), "2026-03-01", True),
        (3, Decimal("3.0"), True),
        (3, 4, False),
        ("yes", "yes", True),
        ("yes", "no", False),
    ],
)
def test_answers_are_compared_as_the_same_answer_however_they_are_typed(stored, sent, same) -> None:  # type: ignore[no-untyped-def]
    from howgood.records.services import _comparable

    assert (_comparable(stored) == _comparable(sent)) is same


def test_finishing_a_section_is_a_service_that_warns_of_names_before_saving(cast, ready) -> None:  # type: ignore[no-untyped-def]
    """The name check and the next section live in the service, so any caller gets them."""
    from howgood.partnerships.models import Membership
    from howgood.questionnaires.rendering import VersionTree
    from howgood.records import services

    member = Membership.objects.get(user=cast.reader, partnership=cast.a)
    reading = services.reading_open(case=first_case(ready), membership=member)
    tree = VersionTree.load(ready.template)
    text = {"comments": "The child told Mrs Jenkins about it."}
    warned = services.reading_section_finish(
        reading=reading,
        tree=tree,
        index=1,
        values={"seen_alone": "yes", **text},
        text_answers=text,
        names_checked=False,
        lock_version=reading.lock_version,
        tab="t1",
        actor=cast.reader,
    )
    assert warned.name_warnings == {"comments": ["Mrs Jenkins"]}
    assert answers_of(reading.submission) == {}
    reading.refresh_from_db()
    saved = services.reading_section_finish(
        reading=reading,
        tree=tree,
        index=1,
        values={"seen_alone": "yes", **text},
        text_answers=text,
        names_checked=True,
        lock_version=reading.lock_version,
        tab="t1",
        actor=cast.reader,
    )
    assert saved.name_warnings == {}
    assert answers_of(reading.submission) == {"seen_alone": "yes", **text}
    reading.refresh_from_db()
    assert (saved.following, reading.section_index) == (None, 1)  # the last section: stays
