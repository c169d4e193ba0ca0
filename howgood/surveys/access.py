"""Access for surveys.

Staff pages: `surveys.view` (lead, coordinator, viewer, scrutiny partner) to see surveys and
response rates; `surveys.manage` (lead, coordinator) to create, close and make codes.
Respondents use the survey's link token and never sign in; their response is found only
through the token kept in their own browser session.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from howgood.partnerships import access as partnership_access
from howgood.partnerships.models import Membership
from howgood.surveys.models import Response, Survey

SESSION_KEY = "howgood_survey_responses"


def get_survey_for(user: Any, pk: Any, capability: str) -> tuple[Survey, Membership]:
    survey = (
        Survey.objects.filter(pk=int(pk))
        .select_related("partnership", "version__questionnaire")
        .first()
        if str(pk).isdigit()
        else None
    )
    if survey is None or partnership_access.membership_in(user, survey.partnership_id) is None:
        raise Http404("Not found")
    return survey, partnership_access.require(user, survey.partnership_id, capability)


def survey_by_link(token: str) -> Survey:
    survey = (
        Survey.objects.filter(link_token=token)
        .select_related("partnership", "version__questionnaire")
        .first()
    )
    if survey is None:
        raise Http404("Not found")
    return survey


def current_response(request: HttpRequest, survey: Survey) -> Response | None:
    """The respondent's own response to this survey, from their session (never from the URL)."""
    token = request.session.get(SESSION_KEY, {}).get(str(survey.pk))
    if not token:
        return None
    return Response.objects.filter(survey=survey, token=token).select_related("submission").first()


def remember_response(request: HttpRequest, response: Response) -> None:
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[str(response.survey_id)] = response.token
    request.session[SESSION_KEY] = kept


def forget_response(request: HttpRequest, survey: Survey) -> None:
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept.pop(str(survey.pk), None)
    request.session[SESSION_KEY] = kept
