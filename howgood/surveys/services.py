"""Survey workflows.

Audit events are written for what staff do (create, open, close, make codes) but never
per response: an audit row's time would tell when somebody answered.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core import audit
from howgood.partnerships.models import Activity, Agency, Partnership
from howgood.questionnaires.models import Item, QuestionnaireVersion, Submission
from howgood.questionnaires.services import answers_save, submission_create
from howgood.surveys.models import (
    AccessCode,
    CommentTag,
    CommentTheme,
    QuotedComment,
    Response,
    Survey,
)
from howgood.surveys.selectors import comment_by_key

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class SurveyRefused(Exception):
    """The respondent cannot go on; the message says why in plain words."""


def _hash(text: str) -> str:
    return hashlib.sha256(
        text.strip().upper().replace("-", "").replace(" ", "").encode()
    ).hexdigest()


def _code(length: int = 8) -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
    return f"{raw[:4]}-{raw[4:]}"


@transaction.atomic
def survey_create(
    *,
    partnership: Partnership,
    title: str,
    version: QuestionnaireVersion,
    audience: Iterable[Agency],
    opens_on: date,
    closes_on: date,
    access_mode: str,
    actor: User | None,
    activity: Activity | None = None,
) -> Survey:
    if version.status != "published":
        raise ValidationError({"version": "Choose a published questionnaire."})
    if version.questionnaire.partnership_id not in (None, partnership.pk):
        raise ValidationError(
            {"version": "Choose a questionnaire of this partnership or one shipped with HowGood."}
        )
    if closes_on < opens_on:
        raise ValidationError(
            {"closes_on": "The closing date must be the same as or after the opening date."}
        )
    survey = Survey.objects.create(
        partnership=partnership,
        title=title,
        version=version,
        opens_on=opens_on,
        closes_on=closes_on,
        access_mode=access_mode,
        activity=activity,
        link_token=secrets.token_urlsafe(18),
        created_by=actor,
    )
    agencies = list(audience)
    if any(a.partnership_id != partnership.pk for a in agencies):
        raise ValidationError({"audience": "Choose agencies of this partnership."})
    survey.audience.set(agencies)
    audit.log(
        actor=actor,
        action="surveys.survey.created",
        target=survey,
        data={"opens_on": str(opens_on), "closes_on": str(closes_on), "access": access_mode},
    )
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, actor: User | None) -> Survey:
    survey.closed_early_on = timezone.localdate()
    survey.save(update_fields=["closed_early_on", "updated_at"])
    audit.log(actor=actor, action="surveys.survey.closed", target=survey)
    return survey


@transaction.atomic
def codes_generate(*, survey: Survey, count: int, actor: User | None) -> list[AccessCode]:
    if not 1 <= count <= 2000:
        raise ValidationError({"count": "Make between 1 and 2,000 codes at a time."})
    taken = set(AccessCode.objects.filter(survey=survey).values_list("code", flat=True))
    batch = (
        AccessCode.objects.filter(survey=survey)
        .order_by("-batch")
        .values_list("batch", flat=True)
        .first()
        or 0
    ) + 1
    codes: list[AccessCode] = []
    while len(codes) < count:
        code = _code()
        if code not in taken:
            taken.add(code)
            codes.append(AccessCode(survey=survey, code=code, batch=batch))
    made = AccessCode.objects.bulk_create(codes)
    audit.log(
        actor=actor,
        action="surveys.codes.generated",
        target=survey,
        data={"batch": batch, "count": count},
    )
    return made


def check_open(survey: Survey) -> None:
    if survey.status == "Scheduled":
        raise SurveyRefused(
            f"This survey opens on {survey.opens_on:%-d %B %Y}. Please come back then."
        )
    if survey.status == "Closed":
        raise SurveyRefused(
            "This survey has closed, so it is no longer taking answers. Thank you for your interest."
        )


@transaction.atomic
def response_start(*, survey: Survey, code: str = "", agency: Agency | None = None) -> Response:
    """Begin an anonymous response. A code, if given, is marked used with no link to it."""
    check_open(survey)
    if code:
        wanted = code.strip().upper().replace(" ", "")
        if len(wanted) == 8:
            wanted = f"{wanted[:4]}-{wanted[4:]}"
        access = AccessCode.objects.select_for_update().filter(survey=survey, code=wanted).first()
        if access is None:
            raise SurveyRefused(
                "That access code is not right. Check it against the one you were given and try again."
            )
        if access.used:
            raise SurveyRefused(
                "That access code has already been used. Each code works once. Ask the person who gave it "
                "to you for a new one."
            )
        access.used = True
        access.save(update_fields=["used"])
    elif not survey.uses_link:
        raise SurveyRefused("This survey needs an access code. Enter the code you were given.")
    if agency is not None and agency.pk not in set(survey.audience.values_list("pk", flat=True)):
        raise SurveyRefused("Choose one of the agencies listed.")
    submission = submission_create(version=survey.version)
    return Response.objects.create(
        survey=survey, token=secrets.token_urlsafe(24), submission=submission, agency=agency
    )


@transaction.atomic
def response_save(
    *,
    response: Response,
    values: Mapping[str, Any],
    section_index: int,
    items: Iterable[Item] | None = None,
) -> Response:
    # One statement locks the response's row (only that row: the survey's stays free for
    # its other respondents), checks it has not been sent meanwhile (another tab, a double
    # click) and records the section reached.
    if not Response.objects.filter(pk=response.pk, complete=False).update(
        section_index=section_index
    ):
        raise SurveyRefused("These answers have already been sent. Thank you.")
    check_open(response.survey)
    # The submission is the response's own, made for the survey's version (response_start):
    # no need to read it back to write its answers.
    submission = Submission(pk=response.submission_id, version_id=response.survey.version_id)
    answers_save(submission=submission, values=values, items=items)
    response.section_index = section_index
    return response


@transaction.atomic
def resume_code_issue(*, response: Response) -> str:
    """A code to come back with. Only its hash is kept."""
    code = _code(10)
    response.resume_hash = _hash(code)
    response.save(update_fields=["resume_hash"])
    return code


def response_resume(*, survey: Survey, code: str) -> Response:
    check_open(survey)
    response = (
        Response.objects.filter(survey=survey, resume_hash=_hash(code), complete=False).first()
        if code.strip()
        else None
    )
    if response is None:
        raise SurveyRefused(
            "We could not find answers saved with that code. Check the code, or start the survey again."
        )
    return response


@transaction.atomic
def response_submit(*, response: Response) -> Response:
    """Send the answers. A second press (or a replayed request) changes nothing."""
    # One statement locks the response's row, checks it has not been sent already and
    # marks it sent (undone below if the survey has closed).
    sent = Response.objects.filter(pk=response.pk, complete=False).update(
        complete=True, resume_hash=""
    )
    if sent:
        check_open(response.survey)
        Submission.objects.filter(pk=response.submission_id).update(
            submitted_on=timezone.localdate()
        )
    response.complete, response.resume_hash = True, ""
    return response


# --- Comments: themes and quotes (coordinator and lead) ------------------------------------


@transaction.atomic
def comment_tag(*, survey: Survey, key: str, theme: str, actor: User | None) -> CommentTag:
    """Give a comment (by its ``comment_key``) a theme (made if new). Tagging twice with
    one theme changes nothing."""
    name = " ".join(theme.split())[:100]
    if not name:
        raise ValidationError({"theme": "Enter a theme for this comment."})
    answer = comment_by_key(survey, key)
    existing = CommentTheme.objects.filter(survey=survey, name__iexact=name).first()
    made = existing or CommentTheme.objects.create(survey=survey, name=name)
    tag, created = CommentTag.objects.get_or_create(theme=made, answer=answer)
    if created:
        audit.log(
            actor=actor, action="surveys.comment.tagged", target=survey, data={"theme": made.name}
        )
    return tag


@transaction.atomic
def comment_untag(*, survey: Survey, tag_id: int, actor: User | None) -> None:
    tag = CommentTag.objects.filter(pk=tag_id, theme__survey=survey).select_related("theme").first()
    if tag is None:
        return
    name = tag.theme.name
    tag.delete()
    audit.log(actor=actor, action="surveys.comment.untagged", target=survey, data={"theme": name})


@transaction.atomic
def comment_quote(*, survey: Survey, key: str, quote: bool, actor: User | None) -> None:
    """Choose (or stop choosing) a comment (by its ``comment_key``) to quote in reports."""
    answer = comment_by_key(survey, key)
    if quote:
        _, created = QuotedComment.objects.get_or_create(
            answer=answer, defaults={"survey": survey, "chosen_by": actor}
        )
        if created:
            audit.log(actor=actor, action="surveys.comment.quoted", target=survey)
    elif QuotedComment.objects.filter(answer=answer).delete()[0]:
        audit.log(actor=actor, action="surveys.comment.unquoted", target=survey)
