"""Reads for record-reading pages: scoped, prefetched, aggregated in the database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum

from howgood.partnerships.models import MODERATION_COURSES, READING_COURSES, Membership, Partnership
from howgood.partnerships.roles import can
from howgood.partnerships.selectors import members_of, training_courses
from howgood.questionnaires.models import Item
from howgood.questionnaires.rendering import VersionTree, relevant
from howgood.records.access import assignments_of
from howgood.records.models import (
    Case,
    Concern,
    ConcernStatus,
    Conclusion,
    ConclusionStatus,
    Exercise,
    Moderation,
    Pair,
    Reading,
    ReadingStatus,
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


# --- Who may be paired ------------------------------------------------------------------
#
# The rule: a person may be in a reading pair when they are an active member of the
# partnership, their role reads records (the capability "records.read" in roles.py) and they
# are on the training register. Training in record reading or moderation lets them read (be a
# pair's reader); only training in moderation lets them moderate (moderators read the record
# too). pair_create, suggest_pairs and the assignments all ask this; the pages only show it.


@dataclass(frozen=True)
class Eligibility:
    """What a member may do in a reading pair. ``reason`` says briefly why they are not
    offered (or not as a moderator); ``problem`` says it in a sentence with their name."""

    membership: Membership
    may_read: bool
    may_moderate: bool
    reason: str = ""
    problem: str = ""


def _role_words(membership: Membership) -> str:
    label = str(membership.get_role_display())
    words = label if label[:2].isupper() else label[0].lower() + label[1:]
    return f"{'an' if words[0] in 'aeiouAEIOU' else 'a'} {words}"


def _cannot_read(membership: Membership) -> tuple[str, str] | None:
    """Why the person cannot read records at all now (short reason, sentence), or None."""
    name = membership.user.full_name
    if not membership.is_active:
        return (
            "No longer a member of this partnership.",
            f"{name} is no longer a member of this partnership.",
        )
    if not can(membership.role, "records.read"):
        return (
            f"Their role ({membership.get_role_display()}) cannot read children's records.",
            f"{name} is {_role_words(membership)} in this partnership, and that role cannot "
            "read children's records.",
        )
    return None


def _eligibility(membership: Membership, courses: set[str]) -> Eligibility:
    refused = _cannot_read(membership)
    if refused is not None:
        return Eligibility(membership, False, False, *refused)
    name = membership.user.full_name
    if not courses & READING_COURSES:
        where = "only for another course" if courses else "not on the training register"
        return Eligibility(
            membership,
            False,
            False,
            f"{where[0].upper()}{where[1:]}: not trained in record reading or moderation.",
            f"{name} is {where}, not trained in record reading or moderation, "
            "so cannot read records.",
        )
    if not courses & MODERATION_COURSES:
        return Eligibility(
            membership,
            True,
            False,
            "Trained in record reading, not moderation: can read, cannot moderate.",
            f"{name} is not trained in moderation, so cannot moderate. Record their moderation "
            "training on the training register, or choose someone trained in moderation.",
        )
    return Eligibility(membership, True, True)


def pairing_eligibility(partnership: Partnership) -> list[Eligibility]:
    """Everyone worth mentioning on the pairs page, by name: active members whose role reads
    records or who are on the training register, each with what they may do. Two queries."""
    courses = training_courses(partnership)
    return [
        _eligibility(m, courses.get(m.pk, set()))
        for m in members_of(partnership)
        if m.pk in courses or can(m.role, "records.read")
    ]


def eligibility_of(partnership: Partnership, *members: Membership) -> list[Eligibility]:
    """The members' eligibility as the database has it now (their role or membership may
    have changed since the objects were loaded)."""
    fresh = Membership.objects.select_related("user").in_bulk([m.pk for m in members])
    courses = training_courses(partnership)
    return [_eligibility(fresh[m.pk], courses.get(m.pk, set())) for m in members]


def _pair_problem(reader: Eligibility, moderator: Eligibility) -> str:
    """Why a pair cannot take records (empty when it can)."""
    if not reader.may_read:
        return reader.problem
    if not moderator.may_moderate:
        return moderator.problem
    return ""


def pairs_that_cannot_take_records(exercise: Exercise) -> dict[int, str]:
    """Pair id -> why no more records can be assigned to it, for the exercise's pairs whose
    reader can no longer read or whose moderator can no longer moderate."""
    pairs = list(
        Pair.objects.filter(exercise=exercise).select_related("reader__user", "moderator__user")
    )
    courses = training_courses(exercise.partnership)
    problems = {}
    for pair in pairs:
        problem = _pair_problem(
            _eligibility(pair.reader, courses.get(pair.reader_id, set())),
            _eligibility(pair.moderator, courses.get(pair.moderator_id, set())),
        )
        if problem:
            problems[pair.pk] = problem
    return problems


def suggest_pairs(exercise: Exercise) -> list[tuple[Membership, Membership]]:
    """(reader, moderator) for everyone who may read and is not yet in a pair of the exercise.

    Each such reader gets a moderator: someone trained in moderation with the fewest pairs
    so far and, between those equally loaded, from another agency. People trained in moderation left
    over with no reader are paired with each other. Nobody who may not read is suggested.
    """
    eligible = [e for e in pairing_eligibility(exercise.partnership) if e.may_read]
    existing = list(Pair.objects.filter(exercise=exercise).values_list("reader_id", "moderator_id"))
    in_pair = {pk for pair in existing for pk in pair}
    load: Counter[int] = Counter(moderator_id for _, moderator_id in existing)
    moderators = [e.membership for e in eligible if e.may_moderate]
    readers = [
        e.membership for e in eligible if not e.may_moderate and e.membership.pk not in in_pair
    ]
    pairs: list[tuple[Membership, Membership]] = []
    if not moderators:
        return pairs
    for reader in readers:
        moderator = min(
            moderators,
            key=lambda m: (
                load[m.pk],
                reader.agency_id is not None and m.agency_id == reader.agency_id,
            ),
        )
        load[moderator.pk] += 1
        pairs.append((reader, moderator))
    spare = [m for m in moderators if m.pk not in in_pair and not load[m.pk]]
    while len(spare) >= 2:
        first = spare.pop(0)
        partner = next((m for m in spare if m.agency_id != first.agency_id), spare[0])
        spare.remove(partner)
        pairs.append((first, partner))
    return pairs


@dataclass(frozen=True)
class StuckRecord:
    """A record that cannot be finished by its pair: who cannot do their part, and what the
    coordinator can do about it."""

    case: Case
    problems: list[str]
    what_to_do: str


def records_that_cannot_progress(
    exercise: Exercise, cases: Iterable[Case] | None = None
) -> list[StuckRecord]:
    """Sampled records whose pair has someone with a part still to do (the reader's reading;
    the moderator's reading and the moderation) who can no longer read: their membership
    ended or their role changed to one that does not read records.

    ``cases`` may be the exercise's sampled cases already loaded with their pair's people,
    readings and moderation (``selectors.sampled_cases``); then no query is made.
    """
    if cases is None:
        cases = sampled_cases(exercise)
    stuck = []
    for case in cases:
        pair = case.pair
        moderation = getattr(case, "moderation", None)
        if pair is None or (moderation is not None and moderation.completed_at):
            continue
        readings = {r.membership_id: r for r in case.readings.all()}
        reader_reading = readings.get(pair.reader_id)
        outstanding = [pair.moderator]
        if not (reader_reading and reader_reading.status == ReadingStatus.SUBMITTED):
            outstanding.insert(0, pair.reader)
        blocked = [(m, why) for m in outstanding if (why := _cannot_read(m)) is not None]
        if not blocked:
            continue
        if not readings:
            what = "Move the record to another pair on the Assign records page."
        else:
            fixes = [
                f"invite {m.user.full_name} back to the partnership"
                if not m.is_active
                else f"give {m.user.full_name} a role that reads records"
                for m, _ in blocked
            ]
            what = (
                "Reading has started, so the record stays with its pair: "
                + " and ".join(fixes)
                + " (Partnership settings, Members)."
            )
        stuck.append(StuckRecord(case, [why[1] for _, why in blocked], what))
    return stuck


def pair_readings(case: Case) -> tuple[Reading | None, Reading | None]:
    """The reader's and the moderator's readings of a record (either may be missing)."""
    if case.pair is None:
        return None, None
    readings = {r.membership_id: r for r in case.readings.select_related("submission")}
    return readings.get(case.pair.reader_id), readings.get(case.pair.moderator_id)


def missing_required(tree: VersionTree, answers: Mapping[str, Any]) -> list[tuple[int, Item]]:
    """(section index, item) for every required question that applies and has no answer.

    The rule ``reading_submit`` applies; the check page lists the same questions."""
    missing = []
    for index, section in enumerate(tree.sections):
        if not relevant(section.relevant, answers):
            continue
        for item in tree.section_items(section):
            if (
                item.required
                and item.type != "note"
                and relevant(item.relevant, answers)
                and answers.get(item.name) in (None, "", [])
            ):
                missing.append((index, item))
    return missing


def programme_reading(partnership: Partnership) -> dict[str, Any]:
    """What the programme's record reading did: the exercises that are an activity of the
    programme, the records read in them (a record with at least one submitted reading), the
    local practitioners who read them as a pair's reader, and the moderators who moderated
    (each person once; scrutiny partners, who are not local, apart). Two queries."""
    exercises = list(
        Exercise.objects.filter(partnership=partnership, activity__isnull=False)
        .order_by("created_at", "id")
        .values_list("pk", "title")
    )
    submitted = Reading.objects.filter(
        case__exercise_id__in=[pk for pk, _ in exercises], status=ReadingStatus.SUBMITTED
    )
    rows = list(
        submitted.values_list(
            "case_id", "membership_id", "membership__role", "case__pair__reader_id"
        ).distinct()
    )
    local, inspectors, moderators = set(), set(), set()
    for _case, membership, role, reader in rows:
        if role == "scrutiny":
            inspectors.add(membership)
        elif membership == reader:
            local.add(membership)
        else:
            moderators.add(membership)
    return {
        "exercises": [title for _, title in exercises],
        "records": len({case for case, *_ in rows}),
        "readers": len(local),
        "moderators": len(moderators),
        "inspectors": len(inspectors),
    }


def accepted_conclusions(partnership: Partnership) -> dict[str, list[str]]:
    """The strengths and areas for improvement people accepted from the findings of the
    programme's record reading, as accepted or edited (one query)."""
    found: dict[str, list[str]] = {"strength": [], "improvement": []}
    for kind, text in (
        Conclusion.objects.filter(
            exercise__partnership=partnership,
            exercise__activity__isnull=False,
            status=ConclusionStatus.ACCEPTED,
        )
        .order_by("exercise_id", "id")
        .values_list("kind", "text")
    ):
        found[kind].append(text)
    return found


def reading_headlines(partnership: Partnership) -> list[dict[str, Any]]:
    """Each record-reading exercise in a line, newest first: its records read, the last
    reading submitted, and the strengths and areas for improvement accepted from its findings.
    Two queries."""
    exercises = list(
        Exercise.objects.filter(partnership=partnership)
        .annotate(
            records_read=Count(
                "cases",
                filter=Q(cases__readings__status=ReadingStatus.SUBMITTED),
                distinct=True,
            ),
            last_read=Max("cases__readings__submitted_at"),
        )
        .order_by("-created_at", "-id")
    )
    accepted: dict[tuple[int, str], int] = {}
    for exercise_id, kind, n in (
        Conclusion.objects.filter(
            exercise__partnership=partnership, status=ConclusionStatus.ACCEPTED
        )
        .values_list("exercise_id", "kind")
        .annotate(n=Count("id"))
        .order_by()
    ):
        accepted[(exercise_id, kind)] = n
    return [
        {
            "exercise": e,
            "records_read": e.records_read,
            "last_read": e.last_read,
            "strengths": accepted.get((e.pk, "strength"), 0),
            "areas": accepted.get((e.pk, "improvement"), 0),
        }
        for e in exercises
    ]
