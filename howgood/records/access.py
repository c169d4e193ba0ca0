"""Access chokepoint for record reading.

- Exercises, case lists, samples, pairs and assignments: the capability `records.manage`
  (lead, coordinator) in the exercise's partnership.
- The key map of local references: `records.keymap` (the QA coordinator alone).
- A reading: only the person whose reading it is. Opening one is audited here.
- A record to read: only the two people of the pair it is assigned to.
- A moderation: only the pair's moderator.
- A matter of concern: `concerns.manage` (lead, coordinator), or the person who raised it.
- Findings documents: which one a person gets (`findings_document_for`): one row per
  reading only for `records.case_data`; everyone else gets aggregates, small numbers hidden.
Everything outside the person's partnerships, or not theirs, is a 404.

Every page that shows a child's case data is written to the audit trail here when it is
opened (GET): a reading, a moderation, the exercise's pages that list its records
(`get_exercise_case_data_for`) and a matter of concern (`get_concern_to_view`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from howgood.core import audit
from howgood.partnerships import access as partnership_access
from howgood.partnerships.models import Membership
from howgood.partnerships.roles import can
from howgood.records.models import Case, Concern, Exercise, Reading, SampleStatus


def _pk(value: Any) -> int:
    if not str(value).isdigit():
        raise Http404("Not found")
    return int(value)


def exercises_visible_to(membership: Membership) -> QuerySet[Exercise]:
    return Exercise.objects.filter(partnership=membership.partnership)


def get_exercise_for(user: Any, pk: Any, capability: str) -> tuple[Exercise, Membership]:
    exercise = Exercise.objects.filter(pk=_pk(pk)).select_related("partnership", "template").first()
    if exercise is None or partnership_access.membership_in(user, exercise.partnership_id) is None:
        raise Http404("Not found")
    return exercise, partnership_access.require(user, exercise.partnership_id, capability)


def get_exercise_case_data_for(
    request: HttpRequest, pk: Any, page: str
) -> tuple[Exercise, Membership]:
    """An exercise page that lists its children's records (``page`` names which: the
    exercise, its records, the assignments), for `records.manage`. Opening it (GET) is
    written to the audit trail; a person turned away leaves no "viewed" event."""
    exercise, membership = get_exercise_for(request.user, pk, "records.manage")
    if request.method == "GET":
        audit.log(
            actor=request.user,
            action="records.case_data.viewed",
            target=exercise,
            partnership=exercise.partnership,
            data={"page": page},
        )
    return exercise, membership


def get_case_for(user: Any, pk: Any, capability: str) -> tuple[Case, Membership]:
    case = Case.objects.filter(pk=_pk(pk)).select_related("exercise__partnership", "pair").first()
    if case is None or partnership_access.membership_in(user, case.exercise.partnership_id) is None:
        raise Http404("Not found")
    return case, partnership_access.require(user, case.exercise.partnership_id, capability)


def assignments_of(membership: Membership) -> QuerySet[Case]:
    """Records assigned to the person, as reader or as moderator of a pair."""
    return (
        Case.objects.filter(
            sample_status=SampleStatus.SAMPLED, exercise__case_data_deleted_at__isnull=True
        )
        .filter(Q(pair__reader=membership) | Q(pair__moderator=membership))
        .select_related("exercise", "pair")
    )


def get_case_to_read(user: Any, pk: Any) -> tuple[Case, Membership]:
    """A record the person may read: assigned to a pair they belong to."""
    case = (
        Case.objects.filter(pk=_pk(pk))
        .select_related("exercise__partnership", "exercise__template", "pair")
        .first()
    )
    if case is None or case.pair is None or case.sample_status != SampleStatus.SAMPLED:
        raise Http404("Not found")
    membership = partnership_access.membership_in(user, case.exercise.partnership_id)
    if membership is None or membership.pk not in (case.pair.reader_id, case.pair.moderator_id):
        raise Http404("Not found")
    if not can(membership.role, "records.read"):
        raise PermissionDenied
    return case, membership


def get_reading_for(request: HttpRequest, pk: Any) -> tuple[Reading, Membership]:
    """The person's own reading. Opening it (GET) is written to the audit trail."""
    reading = (
        Reading.objects.filter(pk=_pk(pk))
        .select_related(
            "case__exercise__partnership",
            "case__exercise__template",
            "case__pair",
            "submission",
            "membership",
        )
        .first()
    )
    if reading is None:
        raise Http404("Not found")
    membership = partnership_access.membership_in(
        request.user, reading.case.exercise.partnership_id
    )
    if (
        membership is None
        or reading.membership_id != membership.pk
        or reading.case.exercise.case_data_deleted_at
    ):
        raise Http404("Not found")
    if request.method == "GET":
        audit.log(
            actor=request.user,
            action="records.reading.opened",
            target=reading,
            partnership=reading.case.exercise.partnership,
        )
    return reading, membership


def get_moderation_case_for(request: HttpRequest, pk: Any) -> tuple[Case, Membership]:
    case, membership = get_case_to_read(request.user, pk)
    assert case.pair is not None
    if membership.pk != case.pair.moderator_id:
        raise PermissionDenied("Only the pair's moderator moderates this record.")
    if request.method == "GET":
        audit.log(
            actor=request.user,
            action="records.reading.opened",
            target=case.exercise,
            data={"record": case.reading_id, "page": "moderation"},
        )
    return case, membership


def concerns_visible_to(membership: Membership) -> QuerySet[Concern]:
    qs = Concern.objects.filter(partnership=membership.partnership)
    if can(membership.role, "concerns.manage"):
        return qs
    return qs.filter(raised_by=membership.user)


def get_concern_for(user: Any, pk: Any, *, act: bool = False) -> tuple[Concern, Membership]:
    concern = Concern.objects.filter(pk=_pk(pk)).select_related("partnership", "raised_by").first()
    if concern is None:
        raise Http404("Not found")
    membership = partnership_access.membership_in(user, concern.partnership_id)
    if membership is None:
        raise Http404("Not found")
    manages = can(membership.role, "concerns.manage")
    if not manages and concern.raised_by_id != user.pk:
        raise Http404("Not found")
    if act and not manages:
        raise PermissionDenied(
            "Only the lead officer or QA coordinator moves a matter of concern on."
        )
    return concern, membership


def get_concern_to_view(request: HttpRequest, pk: Any) -> tuple[Concern, Membership]:
    """A matter of concern's page: seeing it (GET) is written to the audit trail; moving it
    on (POST) is for `concerns.manage` and is audited by the service."""
    concern, membership = get_concern_for(request.user, pk, act=request.method == "POST")
    if request.method == "GET":
        audit.log(
            actor=request.user,
            action="records.concern.viewed",
            target=concern,
            partnership=concern.partnership,
        )
    return concern, membership


def findings_shared_on_page(membership: Membership) -> bool:
    """Whether the findings page, and the chart images it shows, hide small numbers from
    this person. Nobody's, today: inside the partnership everyone with `records.findings`
    sees the exact figures on the page (ADR 0008); what leaves it (a viewer's or scrutiny
    partner's download) is decided by ``findings_document_for``. The page and its charts
    both ask here, and kept charts are keyed on the answer, so they can never differ."""
    return False


FINDINGS_FORMATS = ("docx", "pdf", "xlsx")


def findings_document_for(membership: Membership, fmt: str, share: bool) -> tuple[str, bool]:
    """Which findings document (builder name, small numbers hidden or not) a person gets.

    Roles with `records.case_data` (they see case data and sign in with two-factor) get the
    workbook with one row per moderated reading, and the reports as asked. Everyone else
    who may see findings (viewers, scrutiny partners) gets aggregates only: the summary
    workbook, and reports with small numbers hidden.
    """
    if fmt not in FINDINGS_FORMATS:
        raise Http404("Not found")
    case_data = can(membership.role, "records.case_data")
    if fmt == "xlsx":
        return ("records.readings.xlsx", False) if case_data else ("records.findings.xlsx", True)
    return f"records.findings.{fmt}", share or not case_data
