"""The app's URLs plus two baseline views for the submissions benchmark only."""

from __future__ import annotations

import secrets
import threading
from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as app_urlpatterns
from howgood.questionnaires.models import Answer, Item, Submission
from howgood.surveys.models import Response, Survey

AGREE = ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"]
ROLES = ["social_worker", "nurse", "teacher", "police", "other"]

_lock = threading.Lock()
_surveys: dict[str, tuple[int, int, dict[str, int]]] = {}  # token: (survey, version, items)


def bare(request: HttpRequest) -> HttpResponse:
    """A Django view that does nothing: the server, middleware and framework's own cost."""
    return HttpResponse("ok", content_type="text/plain")


def _survey(token: str) -> tuple[int, int, dict[str, int]]:
    with _lock:
        kept = _surveys.get(token)
    if kept is None:
        survey = Survey.objects.get(link_token=token)
        items = dict(Item.objects.filter(version=survey.version_id).values_list("name", "pk"))
        kept = (survey.pk, survey.version_id, items)
        with _lock:
            _surveys[token] = kept
    return kept


class MinimalForm(forms.Form):
    """The 40 answers of the bench survey, as a plain Django form."""

    agency = forms.IntegerField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(choices=[(r, r) for r in ROLES])
        for n in range(39):
            self.fields[f"q{n}"] = forms.ChoiceField(choices=[(a, a) for a in AGREE])


@csrf_exempt
def minimal(request: HttpRequest, token: str) -> HttpResponse:
    """The essential work of one response, and nothing else: validate 40 posted answers
    with a plain form, then insert the response, its submission and its 40 answer rows
    (as HowGood's models store them) in one transaction."""
    survey_id, version_id, items = _survey(token)
    form = MinimalForm(request.POST)
    if not form.is_valid():
        return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain")
    data = form.cleaned_data
    with transaction.atomic():
        submission = Submission.objects.create(
            version_id=version_id,
            started_on=timezone.localdate(),
            submitted_on=timezone.localdate(),
        )
        Response.objects.create(
            survey_id=survey_id,
            token=secrets.token_urlsafe(24),
            submission=submission,
            agency_id=data["agency"],
            complete=True,
        )
        Answer.objects.bulk_create(
            Answer(submission=submission, item_id=items[name], value_text=data[name])
            for name in items
        )
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/minimal/<str:token>/", minimal),
    *app_urlpatterns,
]
