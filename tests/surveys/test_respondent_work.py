"""Issue 13: the work a respondent's page does. Exact query counts per page, the frozen
questionnaire kept per process (each version its own), and nothing read from or written
to the session for an anonymous respondent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from howgood.questionnaires import selectors as qselectors
from howgood.questionnaires import services as qservices
from howgood.questionnaires.examples import pulse_survey
from howgood.questionnaires.rendering import VersionTree
from howgood.surveys import access, services
from howgood.surveys.models import Response

pytestmark = pytest.mark.django_db

SECTION_0 = {"role": "teacher", "years": "4", "_shown": "role years"}
SECTION_1 = {
    "confident_risk": "agree",
    "ird_involved": "no",
    "_shown": "confident_risk ird_involved worked_with risk_comment",
}
SECTION_2 = {"supervision": "disagree", "_shown": "supervision last_training"}


def _published(cast, title: str = "Pulse"):  # type: ignore[no-untyped-def]
    version = qservices.questionnaire_import(
        partnership=cast.a,
        files={"p.xlsx": pulse_survey()},
        actor=cast.coordinator,
        kind="staff_survey",
        title=title,
    )
    return qservices.version_publish(version=version, actor=cast.coordinator)


def _survey(cast, version):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return services.survey_create(
        partnership=cast.a,
        title="Staff survey",
        version=version,
        audience=[cast.social_work, cast.health],
        opens_on=today,
        closes_on=today + timedelta(days=20),
        access_mode="link",
        actor=cast.coordinator,
    )


@pytest.fixture
def survey(cast, framework):  # type: ignore[no-untyped-def]
    return _survey(cast, _published(cast))


def _queries(call):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        page = call()
    return page, [q["sql"] for q in captured.captured_queries]


def test_each_respondent_page_takes_an_exact_number_of_queries(cast, survey) -> None:  # type: ignore[no-untyped-def]
    token = survey.link_token
    client = Client()
    client.get(reverse("surveys:start", args=[token]))  # the questionnaire is now kept
    url = {
        "start": reverse("surveys:start", args=[token]),
        "check": reverse("surveys:check", args=[token]),
        "done": reverse("surveys:done", args=[token]),
    }
    counts = {}
    page, sql = _queries(lambda: client.get(url["start"]))
    counts["start page"] = (page.status_code, len(sql))
    page, sql = _queries(lambda: client.post(url["start"], {"agency": cast.health.pk}))
    counts["start"] = (page.status_code, len(sql))
    for index, answers in enumerate((SECTION_0, SECTION_1, SECTION_2)):
        section = reverse("surveys:section", args=[token, index])
        page, sql = _queries(lambda section=section: client.get(section))
        counts[f"section {index} page"] = (page.status_code, len(sql))
        page, sql = _queries(lambda section=section, answers=answers: client.post(section, answers))
        counts[f"section {index}"] = (page.status_code, len(sql))
    page, sql = _queries(lambda: client.get(url["check"]))
    counts["check page"] = (page.status_code, len(sql))
    page, sql = _queries(lambda: client.post(url["check"]))
    counts["send"] = (page.status_code, len(sql))
    page, sql = _queries(lambda: client.get(url["done"]))
    counts["done page"] = (page.status_code, len(sql))
    # Under test every page runs inside a transaction, so each service's own transaction
    # shows as a SAVEPOINT and RELEASE pair (in production: BEGIN and COMMIT, not counted).
    assert counts == {
        "start page": (200, 3),  # the survey; the agencies to choose from (form)
        "start": (302, 8),  # the survey, agencies; audience; submission; response; the pair
        "section 0 page": (200, 2),  # the survey with the response (one query); its answers
        "section 0": (302, 7),  # those 2; section reached (locks, checks not sent);
        "section 1 page": (200, 2),  # answers to replace (none here); new answers; the pair
        "section 1": (302, 7),
        "section 2 page": (200, 2),
        "section 2": (302, 7),
        "check page": (200, 2),
        "send": (302, 5),  # the survey with the response; marked sent; submission dated; the pair
        "done page": (200, 1),  # the survey
    }
    stored = Response.objects.get()
    assert stored.complete and stored.submission.submitted_on == timezone.localdate()
    assert qselectors.answers_of(stored.submission) == {
        "role": "teacher",
        "years": 4,
        "confident_risk": "agree",
        "ird_involved": "no",
        "supervision": "disagree",
    }


def test_an_anonymous_respondent_never_touches_the_session_table(cast, survey) -> None:  # type: ignore[no-untyped-def]
    token = survey.link_token
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("surveys:start", args=[token]))
        client.post(reverse("surveys:start", args=[token]), {"agency": cast.health.pk})
        client.post(reverse("surveys:section", args=[token, 0]), SECTION_0)
        client.get(reverse("surveys:section", args=[token, 1]))
        client.post(reverse("surveys:section", args=[token, 1]), SECTION_1)
        client.post(reverse("surveys:section", args=[token, 2]), SECTION_2)
        client.get(reverse("surveys:check", args=[token]))
        sent = client.post(reverse("surveys:check", args=[token]))
        client.get(reverse("surveys:done", args=[token]))
    assert sent["Location"] == reverse("surveys:done", args=[token])
    assert not [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]
    assert "sessionid" not in client.cookies


def test_each_published_version_has_its_own_kept_questionnaire(cast, framework) -> None:  # type: ignore[no-untyped-def]
    first, second = _published(cast, "First"), _published(cast, "Second")
    one = VersionTree.published_by_id(first.pk, first.published_at)
    other = VersionTree.published_by_id(second.pk, second.published_at)
    assert one is VersionTree.published_by_id(first.pk, first.published_at)  # kept
    assert one is not other
    assert (one.version.pk, one.version.title) == (first.pk, "First")
    assert (other.version.pk, other.version.title) == (second.pk, "Second")
    # A survey finds its own version's questionnaire, never another's.
    survey = _survey(cast, second)
    found = access.survey_by_link(survey.link_token)
    assert found.version.pk == second.pk and found.version.title == "Second"
    assert found.kind == "staff_survey" and found.is_staff_survey
    assert VersionTree.published(found.version) is other


def test_a_version_known_by_another_publishing_time_is_not_kept(cast, framework) -> None:  # type: ignore[no-untyped-def]
    """The key is the version and when it was published: an id that came round again
    (after a rollback) is never served another questionnaire's copy."""
    version = _published(cast)
    elsewhen = version.published_at - timedelta(days=1)
    stale = VersionTree.published_by_id(version.pk, elsewhen)
    assert stale is not VersionTree.published_by_id(version.pk, elsewhen)
    assert stale.version.pk == version.pk
    kept = VersionTree.published_by_id(version.pk, version.published_at)
    assert kept is not stale and kept is VersionTree.published(version)
    draft = qservices.questionnaire_import(
        partnership=cast.a, files={"p.xlsx": pulse_survey()}, actor=cast.coordinator
    )
    assert VersionTree.published_by_id(draft.pk, None) is not VersionTree.published_by_id(
        draft.pk, None
    )


def test_closing_is_seen_at_once_though_the_questionnaire_is_kept(cast, survey) -> None:  # type: ignore[no-untyped-def]
    token = survey.link_token
    client = Client()
    client.post(reverse("surveys:start", args=[token]), {"agency": cast.health.pk})
    client.post(reverse("surveys:section", args=[token, 0]), SECTION_0)
    services.survey_close(survey=survey, actor=cast.coordinator)
    late = client.post(reverse("surveys:section", args=[token, 1]), SECTION_1)
    assert late.status_code == 410 and b"has closed" in late.content
    assert client.get(reverse("surveys:start", args=[token])).status_code == 410


def test_a_double_click_on_send_ends_on_the_thank_you_page(cast, survey) -> None:  # type: ignore[no-untyped-def]
    """The second of two sends answers after the first: its page must not put back the
    cookie from before the first was sent (the browser would then show the start page and
    invite the person to answer again)."""
    token = survey.link_token
    client = Client()
    client.post(reverse("surveys:start", args=[token]), {"agency": cast.health.pk})
    for index, answers in enumerate((SECTION_0, SECTION_1, SECTION_2)):
        client.post(reverse("surveys:section", args=[token, index]), answers)
    before = client.cookies["howgood_survey"].value
    first = client.post(reverse("surveys:check", args=[token]))
    assert first["Location"] == reverse("surveys:done", args=[token])
    client.cookies["howgood_survey"] = before  # the second send carried the same cookie
    second = client.post(reverse("surveys:check", args=[token]))
    assert second["Location"] == reverse("surveys:done", args=[token])
    thanks = client.get(second["Location"])
    assert thanks.status_code == 200 and b"Thank you" in thanks.content
    client.cookies["howgood_survey"] = before  # or a page of questions opened in another tab
    again = client.get(reverse("surveys:section", args=[token, 1]))
    assert again["Location"] == reverse("surveys:done", args=[token])
    assert b"Thank you" in client.get(again["Location"]).content
    assert Response.objects.filter(complete=True).count() == 1 and Response.objects.count() == 1


def test_a_cookie_naming_no_response_of_this_survey_goes_to_the_start(cast, survey) -> None:  # type: ignore[no-untyped-def]
    from django.core import signing

    token = survey.link_token
    client = Client()
    client.cookies["howgood_survey"] = signing.dumps(
        {"r": {str(survey.pk): "not-a-response"}, "d": []}, salt=access.COOKIE_SALT
    )
    for url in (
        reverse("surveys:section", args=[token, 0]),
        reverse("surveys:check", args=[token]),
    ):
        assert client.get(url)["Location"] == reverse("surveys:start", args=[token])
    assert not Response.objects.exists()


def test_a_response_to_another_survey_is_never_found_through_this_link(cast, survey) -> None:  # type: ignore[no-untyped-def]
    from django.core import signing

    other = _survey(cast, _published(cast, title="Another"))
    client = Client()
    client.post(reverse("surveys:start", args=[other.link_token]), {"agency": cast.health.pk})
    theirs = Response.objects.get(survey=other)
    # The other survey's response, kept under its own survey and then under this one.
    for kept in ({str(other.pk): theirs.token}, {str(survey.pk): theirs.token}):
        client.cookies["howgood_survey"] = signing.dumps(
            {"r": kept, "d": []}, salt=access.COOKIE_SALT
        )
        page = client.get(reverse("surveys:section", args=[survey.link_token, 0]))
        assert page["Location"] == reverse("surveys:start", args=[survey.link_token])
    assert Response.objects.filter(survey=survey).count() == 0


def test_a_questionnaire_without_skip_logic_is_answered_without_reading_earlier_answers(
    cast, framework, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tests.questionnaires.workbooks import workbook

    rows = [
        ["begin_group", "a", "About you"],
        ["select_one role", "role", "Your role", "", "yes"],
        ["end_group", "a"],
        ["begin_group", "b", "Your work"],
        ["select_one agree", "heard", "I hear back after a referral", "", "yes"],
        ["integer", "years", "Years in post"],
        ["end_group", "b"],
    ]
    choices = [["role", "nurse", "Nurse"], ["role", "teacher", "Teacher"]] + [
        ["agree", a, a.title()] for a in ("agree", "disagree")
    ]
    version = qservices.version_publish(
        version=qservices.questionnaire_import(
            partnership=cast.a,
            files={"plain.xlsx": workbook(rows, choices)},
            actor=cast.coordinator,
            kind="staff_survey",
        ),
        actor=cast.coordinator,
    )
    survey = _survey(cast, version)
    token = survey.link_token
    client = Client()
    client.post(reverse("surveys:start", args=[token]), {"agency": cast.health.pk})
    # The survey with the response; section reached; answers to replace; new answers; the pair.
    with django_assert_num_queries(6):
        first = client.post(
            reverse("surveys:section", args=[token, 0]), {"role": "nurse", "_shown": "role"}
        )
    assert first["Location"] == reverse("surveys:section", args=[token, 1])
    wrong = client.post(
        reverse("surveys:section", args=[token, 1]),
        {"heard": "agree", "years": "many", "_shown": "heard years"},
    )
    assert wrong.status_code == 400
    text = wrong.content.decode()
    assert "Part 2 of 2" in text and "Enter a whole number" in text
    assert re.search(r'value="agree" checked', text)
    done = client.post(
        reverse("surveys:section", args=[token, 1]),
        {"heard": "agree", "years": "3", "_shown": "heard years"},
    )
    assert done["Location"] == reverse("surveys:check", args=[token])
    stored = Response.objects.get(survey=survey)
    assert qselectors.answers_of(stored.submission) == {
        "role": "nurse",
        "heard": "agree",
        "years": 3,
    }
