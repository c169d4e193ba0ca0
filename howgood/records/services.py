"""Record-reading workflows. Every step is one transaction ending in an audit event."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core import audit
from howgood.frameworks.selectors import bands_for, default_framework
from howgood.partnerships.models import (
    Activity,
    Membership,
    Partnership,
)
from howgood.partnerships.roles import Role
from howgood.questionnaires.models import Item, QuestionnaireVersion, Submission
from howgood.questionnaires.rendering import VersionTree
from howgood.questionnaires.selectors import answers_of
from howgood.questionnaires.services import answers_save, submission_create
from howgood.records import findings as findings_module
from howgood.records.caselist import CaseRow
from howgood.records.models import (
    CONCERN_NEXT,
    Case,
    CaseKey,
    Concern,
    ConcernStatus,
    ConcernStep,
    Conclusion,
    ConclusionStatus,
    Exercise,
    Moderation,
    Pair,
    Reading,
    ReadingStatus,
    SampleStatus,
)
from howgood.records.names import possible_names
from howgood.records.selectors import (
    eligibility_of,
    missing_required,
    pair_readings,
    pairing_eligibility,
    pairs_that_cannot_take_records,
    suggest_pairs,
)
from howgood.reports.services import documents_delete
from howgood.stats import sampling

ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud and typed safely


class Conflict(Exception):
    """Someone (or another tab) saved this since it was opened.

    ``theirs`` holds the saved answers that differ from what this page sent, by item name,
    and ``yours`` what this page sent for those items, so the page can show both."""

    def __init__(
        self,
        message: str,
        *,
        theirs: Mapping[str, Any] | None = None,
        yours: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.theirs = dict(theirs or {})
        self.yours = dict(yours or {})


def _reading_id(taken: set[str]) -> str:
    while True:
        candidate = "R-" + "".join(secrets.choice(ID_ALPHABET) for _ in range(5))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


@transaction.atomic
def exercise_create(
    *,
    partnership: Partnership,
    title: str,
    template: QuestionnaireVersion,
    activity: Activity | None,
    actor: User | None,
) -> Exercise:
    if template.status != "published":
        raise ValidationError({"template": "Choose a published record-reading template."})
    if template.questionnaire.partnership_id not in (None, partnership.pk):
        raise ValidationError(
            {"template": "Choose a template of this partnership or one shipped with HowGood."}
        )
    exercise = Exercise.objects.create(
        partnership=partnership, title=title, template=template, activity=activity, created_by=actor
    )
    audit.log(actor=actor, action="records.exercise.created", target=exercise)
    return exercise


@transaction.atomic
def exercise_repeat_set(
    *, exercise: Exercise, earlier: Exercise | None, actor: User | None
) -> Exercise:
    """Mark the exercise as a later round of ``earlier`` (None: not a repeat of anything)."""
    locked = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if earlier is not None:
        if earlier.partnership_id != locked.partnership_id:
            raise ValidationError({"earlier": "Choose a record reading of this partnership."})
        step: Exercise | None = earlier
        while step is not None:  # neither itself nor a round that repeats it
            if step.pk == locked.pk:
                raise ValidationError(
                    {
                        "earlier": "Choose an earlier record reading, not this one or a later round of it."
                    }
                )
            step = step.repeat_of
    if locked.repeat_of_id == (earlier.pk if earlier else None):
        return locked
    locked.repeat_of = earlier
    locked.save(update_fields=["repeat_of", "updated_at"])
    audit.log(
        actor=actor,
        action="records.exercise.repeat_set",
        target=locked,
        data={"repeat_of": earlier.title if earlier else None},
    )
    return locked


@transaction.atomic
def cases_import(
    *, exercise: Exercise, rows: list[CaseRow], actor: User | None, filename: str
) -> int:
    """Replace the exercise's case list (only before a sample is drawn). All or nothing."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if exercise.sample_drawn:
        raise ValidationError(
            "The sample has been drawn, so the case list can no longer be replaced."
        )
    Case.objects.filter(exercise=exercise).delete()
    taken: set[str] = set()
    cases = Case.objects.bulk_create(
        Case(
            exercise=exercise,
            reading_id=_reading_id(taken),
            category=r.category,
            age_band=r.age_band,
            sex=r.sex,
            agencies=r.agencies,
            key_dates=r.key_dates,
            source_row=r.row,
        )
        for r in rows
    )
    CaseKey.objects.bulk_create(
        CaseKey(case=case, exercise=exercise, local_reference=row.reference)
        for case, row in zip(cases, rows, strict=True)
    )
    audit.log(
        actor=actor,
        action="records.cases.imported",
        target=exercise,
        data={"records": len(rows), "file": filename[:100]},
    )
    return len(cases)


@transaction.atomic
def sample_draw(
    *,
    exercise: Exercise,
    confidence: float,
    margin: float,
    proportion: float,
    actor: User | None,
    size: int | None = None,
    seed: int | None = None,
) -> dict[str, list[str]]:
    """Draw a stratified random sample by category, recording everything needed to redraw it.

    Every case gets its rank in its category's random order; the first ones are the sample,
    the next ones replace records found unavailable.
    """
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    if Reading.objects.filter(case__exercise=exercise).exists():
        raise ValidationError("Reading has started, so the sample can no longer be redrawn.")
    cases = list(Case.objects.filter(exercise=exercise))
    if not cases:
        raise ValidationError("Import the case list before drawing a sample.")
    population = len(cases)
    n = (
        size
        if size is not None
        else sampling.sample_size(population, confidence, margin, proportion)
    )
    n = max(0, min(n, population))
    seed = seed if seed is not None else secrets.randbelow(10**9)
    strata: dict[str, list[str]] = defaultdict(list)
    for case in cases:
        strata[case.category].append(case.reading_id)
    chosen = sampling.stratified_sample(dict(strata), n, seed)
    by_id = {c.reading_id: c for c in cases}
    for category, ids in strata.items():
        order = sampling.draw_order(ids, seed, category)
        picked = set(chosen.get(category, []))
        for rank, reading_id in enumerate(order):
            case = by_id[reading_id]
            case.draw_rank = rank
            case.sample_status = (
                SampleStatus.SAMPLED if reading_id in picked else SampleStatus.POPULATION
            )
            case.unavailable_reason = ""
            case.replaced_by = None
            case.pair = None
    Case.objects.bulk_update(
        cases, ["draw_rank", "sample_status", "unavailable_reason", "replaced_by", "pair"]
    )
    exercise.sample_seed, exercise.sample_size = seed, n
    exercise.sample_confidence = Decimal(str(confidence))
    exercise.sample_margin = Decimal(str(margin))
    exercise.sample_proportion = Decimal(str(proportion))
    exercise.sample_drawn_at, exercise.sample_drawn_by = timezone.now(), actor
    exercise.save()
    audit.log(
        actor=actor,
        action="records.sample.drawn",
        target=exercise,
        data={
            "population": population,
            "size": n,
            "seed": seed,
            "confidence": confidence,
            "margin": margin,
            "proportion": proportion,
            "by_category": {k: len(v) for k, v in chosen.items()},
        },
    )
    return chosen


@transaction.atomic
def case_replace(*, case: Case, reason: str, actor: User | None) -> Case:
    """Mark a sampled record unavailable and bring in the next in its category's draw order."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.sample_status != SampleStatus.SAMPLED:
        raise ValidationError("Only a sampled record can be replaced.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the record is unavailable"})
    if case.readings.exists():
        raise ValidationError("This record is already being read, so it cannot be replaced.")
    following = (
        Case.objects.select_for_update()
        .filter(
            exercise_id=case.exercise_id,
            category=case.category,
            sample_status=SampleStatus.POPULATION,
            draw_rank__gt=case.draw_rank or 0,
        )
        .order_by("draw_rank")
        .first()
    )
    if following is None:
        raise ValidationError(
            f"There are no more {case.get_category_display().lower()} records to draw from."
        )
    following.sample_status = SampleStatus.SAMPLED
    following.pair = case.pair
    following.save(update_fields=["sample_status", "pair"])
    case.sample_status, case.unavailable_reason, case.replaced_by, case.pair = (
        SampleStatus.UNAVAILABLE,
        reason.strip(),
        following,
        None,
    )
    case.save(update_fields=["sample_status", "unavailable_reason", "replaced_by", "pair"])
    audit.log(
        actor=actor,
        action="records.case.replaced",
        target=case.exercise,
        data={
            "unavailable": case.reading_id,
            "replacement": following.reading_id,
            "reason": reason.strip(),
        },
    )
    return following


@transaction.atomic
def pair_create(
    *, exercise: Exercise, reader: Membership, moderator: Membership, actor: User | None
) -> Pair:
    """A reader and a moderator for the exercise's records. Refused, with the reason, unless
    the reader may read and the moderator may moderate (see ``pairing_eligibility``)."""
    if reader.pk == moderator.pk:
        raise ValidationError("A pair needs two different people.")
    if {reader.partnership_id, moderator.partnership_id} != {exercise.partnership_id}:
        raise ValidationError("Choose people from this partnership.")
    as_reader, as_moderator = eligibility_of(exercise.partnership, reader, moderator)
    problems = [as_reader.problem] if not as_reader.may_read else []
    if not as_moderator.may_moderate:
        problems.append(as_moderator.problem)
    if problems:
        raise ValidationError(problems)
    if Pair.objects.filter(exercise=exercise, reader=reader, moderator=moderator).exists():
        raise ValidationError("This pair already exists.")
    pair = Pair.objects.create(exercise=exercise, reader=reader, moderator=moderator)
    audit.log(
        actor=actor,
        action="records.pair.created",
        target=exercise,
        data={"pair": pair.pk, "reader": reader.user.email, "moderator": moderator.user.email},
    )
    return pair


@transaction.atomic
def pair_delete(*, pair: Pair, actor: User | None) -> None:
    if Reading.objects.filter(case__pair=pair).exists():
        raise ValidationError(
            "This pair has started reading, so it cannot be removed. Move its unread records instead."
        )
    exercise = pair.exercise
    Case.objects.filter(pair=pair).update(pair=None)
    audit.log(actor=actor, action="records.pair.deleted", target=exercise, data={"pair": pair.pk})
    pair.delete()


@transaction.atomic
def pairs_create_suggested(*, exercise: Exercise, actor: User | None) -> list[Pair]:
    """Make the pairs ``suggest_pairs`` proposes. Refused, saying why, when people are
    waiting for a pair but nobody may moderate."""
    suggested = suggest_pairs(exercise)
    if not suggested:
        eligible = pairing_eligibility(exercise.partnership)
        in_pair = set(
            Pair.objects.filter(exercise=exercise).values_list("reader_id", flat=True)
        ) | set(Pair.objects.filter(exercise=exercise).values_list("moderator_id", flat=True))
        waiting = [e for e in eligible if e.may_read and e.membership.pk not in in_pair]
        if waiting and not any(e.may_moderate for e in eligible):
            raise ValidationError(
                "Nobody on the training register is trained in moderation, so no pairs can be "
                "made. Record someone's moderation training first."
            )
    return [
        pair_create(exercise=exercise, reader=reader, moderator=moderator, actor=actor)
        for reader, moderator in suggested
    ]


@transaction.atomic
def cases_assign(
    *, exercise: Exercise, assignments: Mapping[int, int | None], actor: User | None
) -> None:
    """Assign sampled records (case id -> pair id or None). A record being read keeps its pair.

    A record can only go to a pair whose reader may read and whose moderator may moderate
    (``pairs_that_cannot_take_records``); otherwise the whole change is refused, saying who
    cannot and why.
    """
    pairs = {
        p.pk: p
        for p in Pair.objects.filter(exercise=exercise).select_related(
            "reader__user", "moderator__user"
        )
    }
    cases = {
        c.pk: c
        for c in Case.objects.filter(exercise=exercise, pk__in=list(assignments)).prefetch_related(
            "readings"
        )
    }
    refused: dict[int, str] | None = None
    changed = []
    for case_id, pair_id in assignments.items():
        case = cases.get(case_id)
        if case is None or case.sample_status != SampleStatus.SAMPLED:
            raise ValidationError("Assign sampled records of this exercise only.")
        if pair_id is not None and pair_id not in pairs:
            raise ValidationError("Choose a pair of this exercise.")
        if case.pair_id != pair_id:
            if case.readings.all():
                raise ValidationError(
                    f"Record {case.reading_id} is being read, so it stays with its pair."
                )
            if pair_id is not None:
                if refused is None:
                    refused = pairs_that_cannot_take_records(exercise)
                if pair_id in refused:
                    pair = pairs[pair_id]
                    raise ValidationError(
                        f"Record {case.reading_id} cannot go to {pair.reader.user.full_name} "
                        f"and {pair.moderator.user.full_name}: {refused[pair_id]}"
                    )
            case.pair_id = pair_id
            changed.append(case)
    Case.objects.bulk_update(changed, ["pair"])
    if changed:
        audit.log(
            actor=actor,
            action="records.cases.assigned",
            target=exercise,
            data={c.reading_id: c.pair_id for c in changed},
        )


def assign_balanced(*, exercise: Exercise, actor: User | None) -> int:
    """Give each unassigned sampled record to the pair with fewest records, among the pairs
    that can take records."""
    refused = pairs_that_cannot_take_records(exercise)
    pairs = list(
        Pair.objects.filter(exercise=exercise).annotate(
            n=Count("cases", filter=Q(cases__sample_status="sampled"))
        )
    )
    if not pairs:
        raise ValidationError("Create reading pairs first.")
    load = {p.pk: p.n for p in pairs if p.pk not in refused}
    if not load:
        reasons = list(dict.fromkeys(refused.values()))
        raise ValidationError(
            "No pair can take records. "
            + " ".join(reasons[:3])
            + (" …" if len(reasons) > 3 else "")
        )
    plan: dict[int, int | None] = {}
    for case in Case.objects.filter(
        exercise=exercise, sample_status=SampleStatus.SAMPLED, pair__isnull=True
    ).order_by("category", "draw_rank"):
        pair_id = min(load, key=lambda k: (load[k], k))
        plan[case.pk] = pair_id
        load[pair_id] += 1
    cases_assign(exercise=exercise, assignments=plan, actor=actor)
    return len(plan)


# --- Reading -------------------------------------------------------------------------------


@transaction.atomic
def reading_open(*, case: Case, membership: Membership) -> Reading:
    """The person's reading of the record, created on first opening. Audited every time."""
    reading = (
        Reading.objects.filter(case=case, membership=membership)
        .select_related("submission")
        .first()
    )
    if reading is None:
        submission = submission_create(version=case.exercise.template)
        reading = Reading.objects.create(case=case, membership=membership, submission=submission)
    audit.log(
        actor=membership.user,
        action="records.reading.opened",
        target=reading,
        partnership=case.exercise.partnership,
    )
    return reading


def _comparable(value: Any) -> Any:
    """An answer as stored or as sent, in one form for comparing the two."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, (list, tuple)):
        return sorted(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return Decimal(value)
    return str(value)


@transaction.atomic
def reading_save(
    *,
    reading: Reading,
    lock_version: int,
    values: Mapping[str, Any],
    section_index: int,
    actor: User | None,
    items: Iterable[Item] | None = None,
    tab: str = "",
    autosave: bool = False,
) -> Reading:
    """Save answers of one section from one page, identified by its page token ``tab``.

    ``lock_version`` is the version the page was opened with (or last saved by it). When the
    reading has moved on since:

    - if this page wrote the latest version with its autosave, it is the page's own work:
      saved;
    - if this page wrote the latest version with its own save and this is an autosave, it is
      that page's autosave arriving late (sent just before the press of "Save and
      continue"): dropped, since the save held every answer the autosave did;
    - otherwise another tab or window saved. If the answers saved there are the ones this
      page sends, nothing would be lost: an autosave has nothing to do, a save goes ahead.
      If any differ, Conflict is raised with both sets, and nothing is saved.

    Returns the reading; it was written only if its ``last_tab`` is now ``tab`` and its
    version moved on.
    """
    locked = Reading.objects.select_for_update().get(pk=reading.pk)
    if locked.status == ReadingStatus.SUBMITTED:
        raise Conflict("This reading has been submitted and can no longer change.")
    tab = tab[:32]
    same_page = bool(tab) and locked.last_tab == tab
    if locked.lock_version != lock_version and not (same_page and not locked.last_tab_finished):
        if same_page and autosave:
            return locked  # a late autosave of a page whose save is already in
        stored = answers_of(locked.submission)
        differ = [
            name
            for name, value in values.items()
            if _comparable(stored.get(name)) != _comparable(value)
        ]
        if differ:
            raise Conflict(
                "This section was changed in another tab or window since you opened this page.",
                theirs={name: stored.get(name) for name in differ},
                yours={name: values[name] for name in differ},
            )
        if autosave:
            return locked  # the answers are already as this page has them
    answers_save(submission=locked.submission, values=values, items=items)
    locked.lock_version += 1
    locked.last_tab = tab
    locked.last_tab_finished = not autosave
    locked.section_index = section_index
    if locked.status == ReadingStatus.NOT_STARTED:
        locked.status = ReadingStatus.IN_PROGRESS
    locked.save(
        update_fields=[
            "lock_version",
            "section_index",
            "status",
            "last_tab",
            "last_tab_finished",
            "updated_at",
        ]
    )
    audit.log(
        actor=actor,
        action="records.reading.saved",
        target=locked,
        partnership=locked.case.exercise.partnership,
        data={"section": section_index, "items": len(values), "autosave": autosave},
    )
    return locked


@dataclass(frozen=True)
class SectionSaved:
    """What saving a finished section did: when ``name_warnings`` is not empty nothing was
    saved (the reader is asked to check those answers first); otherwise ``following`` is the
    next section that applies given every answer so far, or None after the last one."""

    name_warnings: dict[str, list[str]]
    following: int | None


def reading_section_finish(
    *,
    reading: Reading,
    tree: VersionTree,
    index: int,
    values: Mapping[str, Any],
    text_answers: Mapping[str, str],
    names_checked: bool,
    lock_version: int,
    tab: str,
    actor: User | None,
) -> SectionSaved:
    """Finish a section of a reading ("Save and continue").

    Free-text answers that look like a person's name are given back as warnings, and
    nothing is saved, unless the reader has said they checked them (records are read under
    pseudonyms: a name in an answer is a name that should not be there). Otherwise the
    answers are saved (``reading_save``: a Conflict if another tab changed them) with the
    section to resume at: the next that applies given every answer so far, or this one
    when it was the last.
    """
    if not names_checked:
        warnings = {
            name: found for name, text in text_answers.items() if (found := possible_names(text))
        }
        if warnings:
            return SectionSaved(name_warnings=warnings, following=None)
    merged = {**answers_of(reading.submission), **values}
    following = tree.next_section(index, merged)
    reading_save(
        reading=reading,
        lock_version=lock_version,
        values=dict(values),
        section_index=following if following is not None else index,
        actor=actor,
        items=tree.items,
        tab=tab,
    )
    return SectionSaved(name_warnings={}, following=following)


@transaction.atomic
def reading_submit(*, reading: Reading, lock_version: int, actor: User | None) -> Reading:
    """Make the reading final. Refused (ValidationError) while a required question that
    applies has no answer; refused (Conflict) if it changed since the check page was opened."""
    locked = Reading.objects.select_for_update().get(pk=reading.pk)
    if locked.status == ReadingStatus.SUBMITTED:
        return locked  # a second press of Submit changes nothing
    if locked.lock_version != lock_version:
        raise Conflict(
            "This reading was changed in another tab or window. Check your answers again, then submit."
        )
    missing = missing_required(
        VersionTree.load(locked.case.exercise.template), answers_of(locked.submission)
    )
    if missing:
        n = len(missing)
        raise ValidationError(
            f"{n} required question{'s' if n != 1 else ''} "
            f"{'have' if n != 1 else 'has'} no answer yet. "
            f"Answer {'them' if n != 1 else 'it'}, then submit."
        )
    locked.status = ReadingStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submission.submitted_on = timezone.localdate()
    locked.submission.save(update_fields=["submitted_on"])
    locked.lock_version += 1
    locked.save(update_fields=["status", "submitted_at", "lock_version", "updated_at"])
    audit.log(
        actor=actor,
        action="records.reading.submitted",
        target=locked,
        partnership=locked.case.exercise.partnership,
    )
    return locked


# --- Matters of concern ---------------------------------------------------------------------


@transaction.atomic
def concern_raise(*, case: Case, description: str, actor: User | None) -> Concern:
    """Raise a matter of concern; the partnership's leads are emailed at once (after commit)."""
    if not description.strip():
        raise ValidationError(
            {"description": "Describe the concern about the child's current safety"}
        )
    exercise = case.exercise
    concern = Concern.objects.create(
        exercise=exercise,
        partnership=exercise.partnership,
        reading_id=case.reading_id,
        case=case,
        raised_by=actor,
        description=description.strip(),
    )
    ConcernStep.objects.create(concern=concern, status=ConcernStatus.RAISED, actor=actor)
    audit.log(actor=actor, action="records.concern.raised", target=concern)
    leads = list(
        Membership.objects.filter(
            partnership=exercise.partnership, role=Role.LEAD, is_active=True
        ).values_list("user__email", flat=True)
    )
    if leads:
        link = settings.HOWGOOD_BASE_URL.rstrip("/") + reverse("records:concern", args=[concern.pk])
        body = render_to_string(
            "records/email/concern_raised.txt", {"concern": concern, "link": link}
        )
        # Nothing about the child in the subject or body beyond the pseudonymous reading ID.
        transaction.on_commit(
            lambda: send_mail(
                f"Matter of concern raised: record {concern.reading_id}", body, None, leads
            )
        )
    return concern


@transaction.atomic
def concern_advance(*, concern: Concern, note: str, actor: User | None) -> Concern:
    """Move a concern to its next step (raised → acknowledged → action taken → closed)."""
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    following = CONCERN_NEXT.get(ConcernStatus(concern.status))
    if following is None:
        raise ValidationError("This matter of concern is closed.")
    if following in (ConcernStatus.ACTION_TAKEN, ConcernStatus.CLOSED) and not note.strip():
        raise ValidationError({"note": "Say what was done"})
    concern.status = following
    concern.save(update_fields=["status", "updated_at"])
    ConcernStep.objects.create(concern=concern, status=following, note=note.strip(), actor=actor)
    audit.log(actor=actor, action=f"records.concern.{following.value}", target=concern)
    return concern


# --- Moderation ------------------------------------------------------------------------------


@transaction.atomic
def moderation_start(*, case: Case, actor: User | None) -> Moderation:
    reader, moderator = pair_readings(case)
    if not (reader and moderator and reader.status == moderator.status == ReadingStatus.SUBMITTED):
        raise ValidationError(
            "Both members of the pair must submit their readings before moderation."
        )
    existing = Moderation.objects.filter(case=case).first()
    if existing:
        return existing
    submission = submission_create(version=case.exercise.template)
    mine, theirs = answers_of(reader.submission), answers_of(moderator.submission)
    agreed = {k: v for k, v in mine.items() if theirs.get(k) == v}  # start from what they agree on
    answers_save(submission=submission, values=agreed)
    assert case.pair is not None
    return Moderation.objects.create(
        case=case, moderator=case.pair.moderator, submission=submission
    )


@transaction.atomic
def moderation_save(
    *,
    moderation: Moderation,
    lock_version: int,
    values: Mapping[str, Any],
    notes: Mapping[str, str],
    actor: User | None,
    complete: bool,
) -> Moderation:
    locked = Moderation.objects.select_for_update().get(pk=moderation.pk)
    if locked.completed_at:
        raise Conflict("This moderation is complete and can no longer change.")
    if locked.lock_version != lock_version:
        raise Conflict("This moderation was changed in another tab or window since you opened it.")
    answers_save(submission=locked.submission, values=values)
    locked.notes = {**locked.notes, **{k: v for k, v in notes.items() if v.strip()}}
    locked.lock_version += 1
    if complete:
        locked.completed_at = timezone.now()
        locked.submission.submitted_on = timezone.localdate()
        locked.submission.save(update_fields=["submitted_on"])
    locked.save()
    audit.log(
        actor=actor,
        action="records.moderation.completed" if complete else "records.moderation.saved",
        target=locked,
        partnership=locked.case.exercise.partnership,
    )
    return locked


# --- Retention ------------------------------------------------------------------------------


@transaction.atomic
def case_data_delete(*, exercise: Exercise, actor: User | None) -> dict[str, int]:
    """Delete the exercise's case data: records, key map, readings, moderations and every
    document made from them.

    Refused while a matter of concern is open: nothing may hide an open concern. Findings
    statements and the audit trail stay; concerns keep their reading ID.
    """
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    open_concerns = (
        Concern.objects.filter(exercise=exercise).exclude(status=ConcernStatus.CLOSED).count()
    )
    if open_concerns:
        raise ValidationError(
            f"{open_concerns} matter{'s' if open_concerns != 1 else ''} of concern "
            f"{'is' if open_concerns == 1 else 'are'} still open. Close them before deleting case data."
        )
    submissions = list(
        Reading.objects.filter(case__exercise=exercise).values_list("submission_id", flat=True)
    ) + list(
        Moderation.objects.filter(case__exercise=exercise).values_list("submission_id", flat=True)
    )
    counts = {
        "records": Case.objects.filter(exercise=exercise).count(),
        "keys": CaseKey.objects.filter(exercise=exercise).count(),
        "readings": Reading.objects.filter(case__exercise=exercise).count(),
    }
    Moderation.objects.filter(case__exercise=exercise).delete()
    Reading.objects.filter(case__exercise=exercise).delete()
    Submission.objects.filter(pk__in=submissions).delete()
    CaseKey.objects.filter(exercise=exercise).delete()
    Case.objects.filter(exercise=exercise).delete()
    # The documents made from the readings go with them, in the same transaction.
    counts["documents"] = documents_delete(made_from=exercise)
    exercise.case_data_deleted_at, exercise.case_data_deleted_by = timezone.now(), actor
    exercise.save(update_fields=["case_data_deleted_at", "case_data_deleted_by", "updated_at"])
    audit.log(actor=actor, action="records.case_data.deleted", target=exercise, data=counts)
    return counts


# --- Findings statements ----------------------------------------------------------------------


@transaction.atomic
def conclusions_refresh(*, exercise: Exercise, actor: User | None) -> int:
    """Bring the suggested statements in line with the current findings.

    Statements a person accepted or dropped are kept as they decided; undecided ones are
    updated, added or removed.
    """
    result = findings_module.compute(exercise)
    wanted = {
        (s.key, s.kind): s
        for s in findings_module.suggestions(result, bands_for(default_framework()))
    }
    existing = {(s.key, s.kind): s for s in Conclusion.objects.filter(exercise=exercise)}
    for key, statement in existing.items():
        if statement.status == ConclusionStatus.SUGGESTED and key not in wanted:
            statement.delete()
    for key, suggestion in wanted.items():
        current = existing.get(key)
        if current is None:
            Conclusion.objects.create(
                exercise=exercise,
                key=suggestion.key,
                kind=suggestion.kind,
                suggested_text=suggestion.text,
                text=suggestion.text,
            )
        elif (
            current.status == ConclusionStatus.SUGGESTED
            and current.suggested_text != suggestion.text
        ):
            current.suggested_text = current.text = suggestion.text
            current.save(update_fields=["suggested_text", "text", "updated_at"])
    audit.log(
        actor=actor,
        action="records.statements.suggested",
        target=exercise,
        data={"suggestions": len(wanted)},
    )
    return len(wanted)


@transaction.atomic
def conclusion_decide(
    *, statement: Conclusion, status: str, text: str, actor: User | None
) -> Conclusion:
    if status not in ("accepted", "dropped", "suggested"):
        raise ValidationError("Choose accept, edit or drop.")
    if status == "accepted" and not text.strip():
        raise ValidationError({"text": "Enter the wording of the statement"})
    statement.status, statement.decided_by = status, actor
    if text.strip():
        statement.text = text.strip()
    statement.save(update_fields=["status", "decided_by", "text", "updated_at"])
    audit.log(
        actor=actor, action="records.statement.decided", target=statement, data={"status": status}
    )
    return statement
