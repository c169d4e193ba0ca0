"""Issue 13: the work a respondent's page does. Exact query counts per page, the frozen
questionnaire kept per process (each version its own), and nothing read from or written
to the session for an anonymous respondent."""

from __future__ import annotations

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
        "section 0 page": (200, 3),  # the survey; the response; its answers, as values
        "section 0": (302, 8),  # those 3; section reached (locks, checks not sent);
        "section 1 page": (200, 3),  # answers to replace (none here); new answers; the pair
        "section 1": (302, 8),
        "section 2 page": (200, 3),
        "section 2": (302, 8),
        "check page": (200, 3),
        "send": (302, 6),  # the survey; the response; marked sent; submission dated; the pair
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
