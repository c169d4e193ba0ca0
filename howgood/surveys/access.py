"""Access for surveys.

Staff pages go through the ``surveys`` permission policy: `surveys.view` (lead, coordinator, viewer, scrutiny partner) to see surveys and
response rates; `surveys.manage` (lead, coordinator) to create, close and make codes.
Respondents use the survey's link token and never sign in; their response is found only
through the token kept in their own browser, in a signed cookie of its own (never the
session, which for a member of staff holds who they are).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from howgood.partnerships.policies import ModelPolicy
from howgood.questionnaires.rendering import VersionTree
from howgood.surveys.models import Response, Survey

COOKIE = "howgood_survey"
COOKIE_SALT = "howgood.surveys.respondent"
DONE_KEPT = 20  # the surveys a browser remembers sending answers to


surveys = ModelPolicy(Survey, related=("partnership", "version__questionnaire"))


def survey_by_link(token: str) -> Survey:
    """The survey a respondent's link names, read afresh (its dates and closing can change),
    with its published questionnaire version, which cannot, from the copy this process
    keeps (``VersionTree.published_by_id``, keyed by the version and when it was published)."""
    survey = (
        Survey.objects.filter(link_token=token)
        .select_related("partnership")
        .annotate(version_published_at=F("version__published_at"))
        .first()
    )
    if survey is None:
        raise Http404("Not found")
    return _with_version(survey)


def _with_version(survey: Survey) -> Survey:
    survey.version = VersionTree.published_by_id(
        survey.version_id,
        survey.version_published_at,  # type: ignore[attr-defined]
    ).version
    return survey


def survey_and_response(request: HttpRequest, token: str) -> tuple[Survey, Response | None]:
    """The survey a link names and the respondent's own response to it, found through the
    token kept in their cookie (never from the URL): one query when there is a response,
    as on every page after the first, and ``survey_by_link``'s when there is none."""
    kept = Respondent.of(request).responses
    if kept:
        response = (
            Response.objects.filter(token__in=list(kept.values()), survey__link_token=token)
            .select_related("survey__partnership")
            .annotate(version_published_at=F("survey__version__published_at"))
            .first()
        )
        if response is not None and kept.get(str(response.survey_id)) == response.token:
            response.survey.version_published_at = response.version_published_at  # type: ignore[attr-defined]
            return _with_version(response.survey), response
    return survey_by_link(token), None


class Respondent:
    """What a respondent's browser keeps while answering: the token of the response in
    progress per survey, and which surveys it has sent answers to.

    It lives in its own signed cookie, sent only to the respondent pages (``/s/``), never
    in the session: a member of staff who answers while signed in must not leave their
    user id and their response side by side in ``django_session`` (ADR 0008). The cookie
    goes when the browser closes and is not accepted after the session idle time.
    """

    def __init__(self, responses: dict[str, str], done: list[int]) -> None:
        self.responses = responses
        self.done = done
        self.changed = False

    @classmethod
    def of(cls, request: HttpRequest) -> Respondent:
        kept = getattr(request, "_howgood_respondent", None)
        if isinstance(kept, cls):
            return kept
        try:
            data = signing.loads(
                request.COOKIES.get(COOKIE, ""),
                salt=COOKIE_SALT,
                max_age=settings.SESSION_COOKIE_AGE,
            )
            responses = {str(k): str(v) for k, v in dict(data.get("r", {})).items()}
            done = [int(pk) for pk in data.get("d", [])]
        except (signing.BadSignature, TypeError, ValueError, AttributeError):
            responses, done = {}, []  # none, tampered with or idle too long: start afresh
        made = cls(responses, done)
        setattr(request, "_howgood_respondent", made)  # noqa: B010 (no attribute on HttpRequest)
        return made

    def write(self, response: HttpResponse) -> HttpResponse:
        """Set (or refresh, or remove) the cookie on a respondent page's response."""
        path = _cookie_path()
        if not self.responses and not self.done:
            if self.changed:
                response.delete_cookie(COOKIE, path=path, samesite="Lax")
            return response
        response.set_cookie(
            COOKIE,
            signing.dumps({"r": self.responses, "d": self.done[-DONE_KEPT:]}, salt=COOKIE_SALT),
            path=path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response


def _cookie_path() -> str:
    # The respondent pages' common prefix ("/s/"), from the URLconf.
    return reverse("surveys:start", args=["-"]).rsplit("-", 1)[0]


def respondent_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A public respondent page: its survey state is read from and written to the
    respondent's own cookie, never the session."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return Respondent.of(request).write(view(request, *args, **kwargs))

    return wrapped


def remember_response(request: HttpRequest, response: Response) -> None:
    kept = Respondent.of(request)
    kept.responses[str(response.survey_id)] = response.token
    kept.changed = True


def forget_response(request: HttpRequest, survey: Survey) -> None:
    kept = Respondent.of(request)
    kept.responses.pop(str(survey.pk), None)
    kept.changed = True


def mark_done(request: HttpRequest, survey: Survey) -> None:
    """Only "this browser sent answers to this survey", for the thank-you page."""
    kept = Respondent.of(request)
    if survey.pk not in kept.done:
        kept.done.append(survey.pk)
    kept.changed = True


def is_done(request: HttpRequest, survey: Survey) -> bool:
    return survey.pk in Respondent.of(request).done
