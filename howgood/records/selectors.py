"""Reads for record-reading pages: scoped, prefetched, aggregated in the database."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum

from howgood.partnerships.models import Membership
from howgood.records.models import (
    Case,
    Concern,
    ConcernStatus,
    Exercise,
    Moderation,
    Pair,
    Reading,
    SampleStatus,
)


def exercise_summary(exercise: Exercise) -> dict[str, Any]:
    counts = Case.objects.filter(exercise=exercise).aggregate(
        total=Count("id"),
        sampled=Count("id", filter=Q(sample_status=SampleStatus.SAMPLED)),
        unavailable=Count("id", filter=Q(sample_status=SampleStatus.UNAVAILABLE)),
        assigned=Count("id", filter=Q(sample_status=SampleStatus.SAMPLED, pair__isnull=False)),
    )
    readings = Reading.objects.filter(case__exercise=exercise).aggregate(
        submitted=Count("id", filter=Q(status="submitted")), started=Count("id")
    )
    moderated = Moderation.objects.filter(
        case__exercise=exercise, completed_at__isnull=False
    ).count()
    by_category = dict(
        Case.objects.filter(exercise=exercise).values_list("category").annotate(n=Count("id"))
    )
    sampled_by_category = dict(
        Case.objects.filter(exercise=exercise, sample_status=SampleStatus.SAMPLED)
        .values_list("category")
        .annotate(n=Count("id"))
    )
    return {
        **counts,
        **readings,
        "moderated": moderated,
        "pairs": Pair.objects.filter(exercise=exercise).count(),
        "by_category": by_category,
        "sampled_by_category": sampled_by_category,
        "open_concerns": Concern.objects.filter(exercise=exercise)
        .exclude(status=ConcernStatus.CLOSED)
        .count(),
    }


def cases_of(exercise: Exercise) -> QuerySet[Case]:
    return (
        Case.objects.filter(exercise=exercise)
        .select_related("pair__reader__user", "pair__moderator__user", "replaced_by")
        .order_by("sample_status", "category", "draw_rank", "reading_id")
    )


def sampled_cases(exercise: Exercise) -> QuerySet[Case]:
    return (
        Case.objects.filter(exercise=exercise, sample_status=SampleStatus.SAMPLED)
        .select_related("pair__reader__user", "pair__moderator__user", "moderation")
        .prefetch_related(
            Prefetch(
                "readings",
                queryset=Reading.objects.only("id", "case_id", "membership_id", "status"),
            )
        )
        .order_by("category", "draw_rank")
    )


def pairs_with_workload(exercise: Exercise) -> list[Pair]:
    return list(
        Pair.objects.filter(exercise=exercise)
        .select_related("reader__user", "reader__agency", "moderator__user", "moderator__agency")
        .annotate(records=Count("cases", filter=Q(cases__sample_status=SampleStatus.SAMPLED)))
    )


def workload_by_person(pairs: list[Pair]) -> list[tuple[Membership, int]]:
    """Records per person across all their pairs (each record is one reading for each)."""
    load: Counter[int] = Counter()
    people: dict[int, Membership] = {}
    for pair in pairs:
        for member in (pair.reader, pair.moderator):
            load[member.pk] += pair.records  # type: ignore[attr-defined]
            people[member.pk] = member
    return sorted(
        ((people[k], n) for k, n in load.items()), key=lambda t: (-t[1], t[0].user.full_name)
    )


def my_assignments(membership: Membership) -> list[dict[str, Any]]:
    from howgood.records.access import assignments_of

    cases = list(
        assignments_of(membership)
        .select_related("moderation")
        .prefetch_related(
            Prefetch(
                "readings",
                queryset=Reading.objects.only(
                    "id", "case_id", "membership_id", "status", "updated_at"
                ),
            )
        )
        .order_by("exercise_id", "reading_id")
    )
    rows = []
    for case in cases:
        readings = {r.membership_id: r for r in case.readings.all()}
        mine = readings.get(membership.pk)
        assert case.pair is not None
        is_moderator = case.pair.moderator_id == membership.pk
        other = readings.get(case.pair.reader_id if is_moderator else case.pair.moderator_id)
        moderation = getattr(case, "moderation", None)
        both_in = bool(mine and other and mine.status == other.status == "submitted")
        rows.append(
            {
                "case": case,
                "reading": mine,
                "is_moderator": is_moderator,
                "status": mine.get_status_display() if mine else "Not started",
                "partner_submitted": bool(other and other.status == "submitted"),
                "moderation_ready": is_moderator
                and both_in
                and not (moderation and moderation.completed_at),
                "moderated": bool(moderation and moderation.completed_at),
            }
        )
    return rows


def open_concerns(partnership: Any) -> QuerySet[Concern]:
    return (
        Concern.objects.filter(partnership=partnership)
        .exclude(status=ConcernStatus.CLOSED)
        .select_related("raised_by")
        .order_by("created_at")
    )


def findings_version(exercise: Exercise) -> str:
    """A fingerprint of what the findings are computed from, in one aggregate query: the
    exercise's template and its completed moderations (how many, the newest, the last
    changed). A completed moderation is never edited (``moderation_save`` refuses), so a
    moderation completed, or moderations deleted with the case data, change it; so does
    anything that writes a moderation outside the services (the demo loader, an import).
    Kept charts are keyed on it (``records.charts``)."""
    done = Moderation.objects.filter(case__exercise=exercise, completed_at__isnull=False)
    facts = done.aggregate(n=Count("id"), last=Max("id"), changed=Max("updated_at"))
    changed = facts["changed"].isoformat() if facts["changed"] else "-"
    return f"{exercise.template_id}.{facts['n']}.{facts['last'] or 0}.{changed}"


def agreement_version(exercise: Exercise) -> str:
    """A fingerprint of what the agreement figures are computed from, in two aggregate
    queries: the exercise's template, its submitted readings (how many, the newest, the
    last changed) and which pair each record is assigned to. Kept agreement figures are
    keyed on it (``records.agreement.compute_kept``)."""
    done = Reading.objects.filter(case__exercise=exercise, status="submitted")
    readings = done.aggregate(n=Count("id"), last=Max("id"), changed=Max("updated_at"))
    cases = Case.objects.filter(exercise=exercise, pair__isnull=False).aggregate(
        n=Count("id"), pairs=Sum("pair_id"), last=Max("pair_id")
    )
    changed = readings["changed"].isoformat() if readings["changed"] else "-"
    return (
        f"{exercise.template_id}.{readings['n']}.{readings['last'] or 0}.{changed}."
        f"{cases['n']}.{cases['pairs'] or 0}.{cases['last'] or 0}"
    )
