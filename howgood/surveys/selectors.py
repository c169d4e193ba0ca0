"""Reads of survey data for pages and reports, and when a survey's results may be shown.

Nothing moves by one response between two looks (ADR 0008): while a survey is open its
results, comments and responses are not shown at all, and the number of responses (by
agency too) is given in batches of the partnership's threshold ("10 to 14"). Once it has
closed nothing can change, and everything is shown if at least the threshold of people
completed it. These rules hold for every role and in every document.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.crypto import salted_hmac

from howgood.questionnaires.models import Answer
from howgood.stats.disclosure import batch
from howgood.surveys.models import Response, Survey


def completed(survey: Survey) -> int:
    return Response.objects.filter(survey=survey, complete=True).count()


def completed_with_version(survey: Survey) -> tuple[int, str]:
    """How many completed the survey, and a fingerprint of what its results are counted
    from, in one aggregate query: the completed responses (how many, the newest) and their
    agencies (how many given, their sum; an agency deleted sets them to none). A completed
    response's answers never change. Kept answer counts are keyed on it
    (``analysis.analyse``)."""
    facts = Response.objects.filter(survey=survey, complete=True).aggregate(
        n=Count("id"), last=Max("id"), agencies=Count("agency_id"), agency_sum=Sum("agency_id")
    )
    version = f"{facts['n']}.{facts['last'] or 0}.{facts['agencies']}.{facts['agency_sum'] or 0}"
    return facts["n"], version


def results_withheld(survey: Survey, responses: int | None = None) -> str:
    """Why the survey's results cannot be shown yet, in plain words; "" when they can.

    Results are its answers, breakdowns, comments and the responses themselves. ``responses``
    is the number completed, if the caller has it already.
    """
    if survey.status != "Closed":
        return (
            f"Results are shown once the survey has closed on {survey.closes_on:%-d %B %Y}. "
            "While people are still answering, the results before and after somebody "
            "answered would show that person's answers."
        )
    threshold = survey.partnership.suppression_threshold
    if (completed(survey) if responses is None else responses) < threshold:
        return (
            f"Fewer than {threshold} people completed this survey, so its results are not "
            "shown: with so few, answers could be linked to the people who gave them."
        )
    return ""


def require_results(survey: Survey) -> None:
    """ValidationError (with the reason) unless the survey's results may be shown."""

    withheld = results_withheld(survey)
    if withheld:
        raise ValidationError(withheld)


def completed_words(survey: Survey, n: int) -> str:
    """The number of completed responses as it may be shown: exact once the survey has
    closed, in batches of the threshold before."""
    if survey.status == "Closed":
        return f"{n:,}"
    return batch(n, survey.partnership.suppression_threshold).words


def _rate(n: int, headcount: int) -> int:
    # A whole percentage, halves rounded up (6.5% shows as 7%, as people expect).
    return (200 * n + headcount) // (2 * headcount)


def response_rates(survey: Survey) -> list[dict[str, Any]]:
    """Completed responses by audience agency against its headcount (one grouped query).

    Each row: ``agency``; ``responses`` and ``rate`` (a whole percentage, or None where
    the agency has no headcount), both None while the survey is open; and what to show,
    ``responses_words`` and ``rate_words``: exact once closed, in batches of the
    threshold (and the rates those give) before.
    """
    counts = dict(
        Response.objects.filter(survey=survey, complete=True)
        .values_list("agency_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    closed = survey.status == "Closed"
    threshold = survey.partnership.suppression_threshold
    rows = []
    for agency in survey.audience.all().order_by("name"):
        n = counts.get(agency.pk, 0)
        headcount = agency.headcount
        if closed:
            rate = _rate(n, headcount) if headcount else None
            rows.append(
                {
                    "agency": agency,
                    "responses": n,
                    "rate": rate,
                    "responses_words": f"{n:,}",
                    "rate_words": "–" if rate is None else f"{rate}%",
                }
            )
            continue
        shown = batch(n, threshold)
        if headcount:
            low, high = _rate(shown.low, headcount), _rate(min(shown.high, headcount), headcount)
            rate_words = f"{low}%" if low == high else f"{low}% to {high}%"
        else:
            rate_words = "–"
        rows.append(
            {
                "agency": agency,
                "responses": None,
                "rate": None,
                "responses_words": shown.words,
                "rate_words": rate_words,
            }
        )
    return rows


def text_answers(survey: Survey) -> QuerySet[Answer]:
    """The free-text answers of the survey's complete responses, question by question and,
    within a question, in the order of the responses' random tokens: never in the order
    they were sent, which with the number of codes used could tie a comment to a person."""
    return (
        Answer.objects.filter(
            submission__survey_response__survey=survey,
            submission__survey_response__complete=True,
            item__type="text",
        )
        .exclude(value_text="")
        .select_related("item")
        .order_by("item__order", "submission__survey_response__token")
    )


def comment_key(answer_id: int) -> str:
    """How pages name a comment: a keyed hash of its id, so the name says nothing about
    when it was sent (ids count up as answers are saved)."""
    return salted_hmac("howgood.surveys.comment", str(answer_id)).hexdigest()[:20]


def comment_by_key(survey: Survey, key: str) -> Answer:
    """The survey's comment that pages name ``key`` (``comment_key``); ValidationError if
    none is, or before the survey has closed."""
    require_results(survey)  # comments are read and tagged once the survey has closed
    key = key.strip()
    answer_id = next(
        (pk for pk in text_answers(survey).values_list("pk", flat=True) if comment_key(pk) == key),
        None,
    )
    if answer_id is None:
        raise ValidationError("That comment is not part of this survey.")
    return text_answers(survey).get(pk=answer_id)


def programme_surveys(partnership: Any) -> list[dict[str, Any]]:
    """The surveys that are activities of the programme, with their kind (staff, children
    and young people, parents and carers), completed responses as shown (in batches while
    open: ``responses_words``) and, for staff surveys, responses by agency
    (``response_rates``). Two queries, and one per staff survey."""
    surveys = list(
        Survey.objects.filter(partnership=partnership, activity__isnull=False)
        .select_related("version__questionnaire", "partnership")
        .annotate(n=Count("responses", filter=Q(responses__complete=True)))
        .order_by("opens_on", "id")
    )
    rows = []
    for survey in surveys:
        closed = survey.status == "Closed"
        rows.append(
            {
                "survey": survey,
                "kind": survey.kind,
                "closed": closed,
                "responses": survey.n if closed else None,
                "responses_words": f"{survey.n:,}"
                if closed
                else batch(survey.n, survey.partnership.suppression_threshold).words,
                "by_agency": response_rates(survey) if survey.is_staff_survey else [],
            }
        )
    return rows
