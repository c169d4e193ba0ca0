"""The access chokepoints' own refusals that the URL matrix cannot reach: a number that is
not a number, a role that changed after the work was given out, an anonymous caller, and
the respondent cookie of a public survey."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from howgood.frameworks import access as frameworks_access
from howgood.improvement import access as improvement_access
from howgood.partnerships import access as partnership_access
from howgood.partnerships.models import Membership
from howgood.records import access as records_access
from howgood.records.models import Case
from howgood.reports import access as reports_access
from howgood.reports.models import GeneratedReport
from howgood.selfevaluation import access as selfevaluation_access
from howgood.surveys import access as surveys_access
from tests.conftest import sign_in
from tests.records.conftest import exercise, ready, template  # noqa: F401 - fixtures

NOT_A_NUMBER = ["x", "12a", "-3", "", None]


@pytest.mark.django_db
@pytest.mark.parametrize("pk", NOT_A_NUMBER)
def test_a_number_that_is_not_a_number_is_not_found_at_every_chokepoint(cast: Any, pk: Any) -> None:
    user = cast.coordinator
    request = RequestFactory().get("/")
    request.user = user
    calls = [
        lambda: improvement_access.plans.get_for(user, pk, "improvement.view"),
        lambda: improvement_access.phases.get_for(user, pk, "improvement.data"),
        lambda: records_access.exercises.get_for(user, pk, "records.manage"),
        lambda: records_access.cases.get_for(user, pk, "records.read"),
        lambda: selfevaluation_access.statements.get_for(user, pk, "selfevaluation.view"),
        lambda: reports_access.get_report_for(user, pk),
    ]
    for call in calls:
        with pytest.raises(Http404):
            call()


@pytest.mark.django_db
def test_a_paired_reader_whose_role_became_viewer_may_not_open_the_record(
    cast: Any,
    ready: Any,  # noqa: F811
) -> None:
    case = Case.objects.filter(exercise=ready, pair__isnull=False).first()
    assert case is not None
    client = sign_in(Client(), cast.reader)
    assert client.post(reverse("records:reading_start", args=[case.pk])).status_code == 302
    Membership.objects.filter(user=cast.reader, partnership=cast.a).update(role="viewer")
    client = sign_in(Client(), cast.reader)
    response = client.post(reverse("records:reading_start", args=[case.pk]))
    assert response.status_code == 403


@pytest.mark.django_db
def test_findings_in_an_unknown_format_are_not_found(
    cast: Any,
    ready: Any,  # noqa: F811
) -> None:
    client = sign_in(Client(), cast.coordinator)
    url = reverse("records:findings_export", args=[ready.pk, "odt"])
    assert client.post(url).status_code == 404
    assert not GeneratedReport.objects.exists()


@pytest.mark.django_db
def test_a_case_level_document_needs_a_case_data_role_and_two_factor(
    cast: Any,
    ready: Any,  # noqa: F811
) -> None:
    coordinator = sign_in(Client(), cast.coordinator)
    response = coordinator.post(reverse("records:findings_export", args=[ready.pk, "xlsx"]))
    assert response.status_code == 302
    report = GeneratedReport.objects.get()
    assert report.kind == "records.readings.xlsx"
    assert report.case_level
    url = reverse("reports:status", args=[report.pk])
    # The same coordinator signed in without two-factor is sent to it by the middleware, and
    # the chokepoint refuses on its own too (a user the middleware has not verified).
    unverified = sign_in(Client(), cast.coordinator, verified=False)
    response = unverified.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/two-factor/?next={url}"
    with pytest.raises(PermissionDenied) as refused:
        reports_access.get_report_for(cast.coordinator, report.pk, download=True)
    assert str(refused.value) == "Sign in with two-factor to download this document."
    # A viewer may see the findings, but not a document with a row per child.
    with pytest.raises(PermissionDenied) as refused:
        reports_access.require_may_have(cast.viewer, cast.a.pk, "records.findings", True)
    assert str(refused.value) == reports_access.CASE_LEVEL_REFUSED


@pytest.mark.django_db
def test_partnership_chokepoint_for_nobody_and_for_no_partnership(cast: Any) -> None:
    anonymous = AnonymousUser()
    assert partnership_access.memberships(anonymous) == {}
    assert partnership_access.membership_in(cast.coordinator, None) is None
    with pytest.raises(Http404):
        partnership_access.require(cast.coordinator, None, "partnership.view")
    request = RequestFactory().get("/")
    request.user = cast.coordinator
    with pytest.raises(Http404):  # not working in any partnership
        partnership_access.current(request, "partnership.view")
    partnership_access.forget(cast.coordinator)  # nothing cached yet: nothing to forget
    assert partnership_access.memberships(cast.coordinator)[cast.a.pk].role == "coordinator"
    with pytest.raises(PermissionDenied):
        frameworks_access.get_framework_for(anonymous, "qif-2019")


@pytest.mark.django_db
def test_an_administrator_without_a_membership_must_use_two_factor(cast: Any) -> None:
    from howgood.accounts.models import User

    admin = User.objects.create_superuser(email="admin@example.org", password="x" * 20)
    assert partnership_access.memberships(admin) == {}
    assert partnership_access.requires_two_factor(admin)
    assert not partnership_access.requires_two_factor(cast.viewer)
    assert partnership_access.requires_two_factor(cast.reader)


def _response_cookie(request: Any) -> HttpResponse:
    return surveys_access.Respondent.of(request).write(HttpResponse())


def test_a_survey_respondents_cookie_goes_when_nothing_is_left_in_it() -> None:
    survey = type("Survey", (), {"pk": 7})()
    request = RequestFactory().get("/")
    kept = surveys_access.Respondent.of(request)
    kept.responses["7"] = "token"
    response = kept.write(HttpResponse())
    cookie = response.cookies[surveys_access.COOKIE].value

    later = RequestFactory().get("/", HTTP_COOKIE=f"{surveys_access.COOKIE}={cookie}")
    assert surveys_access.Respondent.of(later).responses == {"7": "token"}
    surveys_access.forget_response(later, survey)  # type: ignore[arg-type]
    response = _response_cookie(later)
    assert response.cookies[surveys_access.COOKIE].value == ""
    assert response.cookies[surveys_access.COOKIE]["max-age"] == 0


def test_a_survey_sent_twice_from_one_browser_is_done_once() -> None:
    survey = type("Survey", (), {"pk": 7})()
    request = RequestFactory().get("/")
    surveys_access.mark_done(request, survey)  # type: ignore[arg-type]
    surveys_access.mark_done(request, survey)  # type: ignore[arg-type]
    assert surveys_access.Respondent.of(request).done == [7]
    assert surveys_access.is_done(request, survey)  # type: ignore[arg-type]


@pytest.mark.django_db
def test_an_invented_demo_account_downloads_case_level_documents_in_demo_mode_only(
    cast: Any,
    ready: Any,  # noqa: F811
    settings: Any,
) -> None:
    coordinator = sign_in(Client(), cast.coordinator)
    coordinator.post(reverse("records:findings_export", args=[ready.pk, "xlsx"]))
    report = GeneratedReport.objects.get()
    cast.coordinator.is_demo = True
    settings.HOWGOOD_DEMO = True
    assert reports_access.get_report_for(cast.coordinator, report.pk)[0] == report
    settings.HOWGOOD_DEMO = False
    with pytest.raises(PermissionDenied):
        reports_access.get_report_for(cast.coordinator, report.pk)
