"""Access chokepoint for record reading.

- Exercises, case lists, samples, pairs and assignments: the capability `records.manage`
  (lead, coordinator) in the exercise's partnership.
- The key map of local references: `records.keymap` (the QA coordinator alone).
- A record to read: only the two people of the pair it is assigned to, while it is in the
  sample and their role reads records (`records.read`).
- A reading: only the person whose reading it is, on the same terms. Opening one is
  audited here.
- A moderation: only the pair's moderator.
- A matter of concern: seen by `concerns.view` (lead, coordinator) and by the person who
  raised it, moved on by `concerns.manage`; hidden (404) from everyone else.
- Findings documents: which one a person gets (`findings_document_for`): one row per
  reading only for `records.case_data`; everyone else gets aggregates, small numbers hidden.
Each model has one permission policy here (``exercises``, ``cases``, ``readings`` ...;
see ``howgood.partnerships.policies``). Everything outside the person's partnerships, or
not theirs, is a 404.

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
from howgood.partnerships.models import Membership
from howgood.partnerships.policies import ModelPolicy
from howgood.partnerships.roles import can
from howgood.records.models import (
    Case,
    Concern,
    Conclusion,
    Exercise,
    Pair,
    Reading,
    SampleStatus,
)

exercises = ModelPolicy(Exercise, related=("partnership", "template"))

pairs = ModelPolicy(Pair, partnership="exercise__partnership", related=("exercise",))
conclusions = ModelPolicy(Conclusion, partnership="exercise__partnership", related=("exercise",))

# Records are managed by `records.manage`; a record is read only by the two people of the
# pair it is assigned to, while it is in the sample and its exercise still has case data.
cases = ModelPolicy(
    Case,
    partnership="exercise__partnership",
    related=("exercise__partnership", "exercise__template", "pair"),
    owners=("pair__reader", "pair__moderator"),
    owner_only={"records.read"},
    owner_where=(
        Q(sample_status=SampleStatus.SAMPLED, exercise__case_data_deleted_at__isnull=True),
        lambda case: (
            case.sample_status == SampleStatus.SAMPLED
            and case.exercise.case_data_deleted_at is None
        ),
    ),
)

# A reading is its reader's alone.
readings = ModelPolicy(
    Reading,
    partnership="case__exercise__partnership",
    related=(
        "case__exercise__partnership",
        "case__exercise__template",
        "case__pair",
        "submission",
        "membership",
    ),
    owners=("membership",),
    owner_only={"records.read"},
    owner_where=(
        Q(case__exercise__case_data_deleted_at__isnull=True),
        lambda reading: reading.case.exercise.case_data_deleted_at is None,
    ),
)

# A matter of concern is seen by those who manage concerns and by the person who raised it,
# and hidden from everyone else; only those who manage concerns move it on.
concerns = ModelPolicy(
    Concern,
    related=("partnership", "raised_by"),
    owners=("raised_by",),
    owner_is_user=True,
    owner_may={"concerns.view"},
    private=True,
    view="concerns.view",
    refused="Only the lead officer or QA coordinator moves a matter of concern on.",
)


def _log_opening(
    request: HttpRequest, action: str, target: Any, partnership: Any = None, **data: Any
) -> None:
    """Write the opening (a GET) of a page with a child's case data to the audit trail."""
    if request.method == "GET":
        audit.log(
            actor=request.user,
            action=action,
            target=target,
            partnership=partnership,
            data=data or None,
        )


def get_exercise_case_data_for(
    request: HttpRequest, pk: Any, page: str
) -> tuple[Exercise, Membership]:
    """An exercise page that lists its children's records (``page`` names which: the
    exercise, its records, the assignments), for `records.manage`. Opening it (GET) is
    written to the audit trail; a person turned away leaves no "viewed" event."""
    exercise, membership = exercises.get_for(request.user, pk, "records.manage")
    _log_opening(request, "records.case_data.viewed", exercise, page=page)
    return exercise, membership


def assignments_of(membership: Membership) -> QuerySet[Case]:
    """Records assigned to the person, as reader or as moderator of a pair."""
    return cases.instances_user_has_permission_for(
        membership.user, "records.read", partnership=membership.partnership
    )


def get_reading_for(request: HttpRequest, pk: Any) -> tuple[Reading, Membership]:
    """The person's own reading. Opening it (GET) is written to the audit trail."""
    reading, membership = readings.get_for(request.user, pk, "records.read")
    _log_opening(request, "records.reading.opened", reading, reading.case.exercise.partnership)
    return reading, membership


def get_moderation_case_for(request: HttpRequest, pk: Any) -> tuple[Case, Membership]:
    case, membership = cases.get_for(request.user, pk, "records.read")
    assert case.pair is not None
    if membership.pk != case.pair.moderator_id:
        raise PermissionDenied("Only the pair's moderator moderates this record.")
    _log_opening(
        request, "records.reading.opened", case.exercise, record=case.reading_id, page="moderation"
    )
    return case, membership


def get_concern_to_view(request: HttpRequest, pk: Any) -> tuple[Concern, Membership]:
    """A matter of concern's page: seeing it (GET) is written to the audit trail; moving it
    on (POST) is for `concerns.manage` and is audited by the service."""
    action = "concerns.manage" if request.method == "POST" else "concerns.view"
    concern, membership = concerns.get_for(request.user, pk, action)
    _log_opening(request, "records.concern.viewed", concern)
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
