"""Writes for frameworks: loading a framework file into the database, and filling in an
indicator's themes and illustrations from someone's own copy of the framework.

Rows are matched by natural key (the framework's slug plus a number, level or word) and
updated in place, so the primary keys other apps link to never change. A row that is no
longer in the file is marked ``retired``; one that comes back is restored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from howgood.accounts.models import User
from howgood.core import audit
from howgood.frameworks.models import (
    Area,
    Framework,
    IndicatorContent,
    InspectionStatement,
    KeyQuestion,
    ProportionBand,
    QualityIndicator,
    ScaleLevel,
    Sourced,
)
from howgood.frameworks.schema import FrameworkData, read_framework_file
from howgood.partnerships.models import Partnership

LOADED = "frameworks.framework.loaded"
FILLED_IN = "frameworks.indicator.filled_in"

# Limits on what one person types into one indicator: generous for the published
# framework's text, and they bound what one request can store.
MAX_THEMES = 40
MAX_THEME_LENGTH = 500
MAX_ILLUSTRATION_LENGTH = 10_000
MAX_COPIED_FROM_LENGTH = 300

M = TypeVar("M", bound=Sourced)


@dataclass
class LoadResult:
    """What a load did. ``created`` and ``retired`` hold (kind, label) pairs; ``updated``
    maps a label to the fields that changed, each as [before, after]."""

    framework: Framework
    file_name: str
    framework_created: bool = False
    created: list[tuple[str, str]] = field(default_factory=list)
    updated: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    retired: list[tuple[str, str]] = field(default_factory=list)
    default_taken_from: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.framework_created or self.created or self.updated or self.retired)

    def created_counts(self) -> dict[str, int]:
        return dict(Counter(kind for kind, _ in self.created))

    def summary_lines(self) -> list[str]:
        """Plain-English lines for the command's output."""
        fw = self.framework
        if not self.changed:
            return [f"{self.file_name}: no changes; {fw.slug} is up to date."]
        verb = "Created" if self.framework_created else "Updated"
        lines = [f"{self.file_name}: {verb} framework {fw.slug}: {fw.title} ({fw.version})."]
        counts = self.created_counts()
        if counts:
            lines.append(
                "  Created " + ", ".join(_plural(n, kind) for kind, n in counts.items()) + "."
            )
        for label, changes in self.updated.items():
            lines.append(f"  Updated {label}: {', '.join(changes)}.")
        for _, label in self.retired:
            lines.append(f"  Retired {label} (no longer in the file; kept for existing links).")
        if self.default_taken_from:
            lines.append(
                f"  {fw.slug} is now the default framework instead of {self.default_taken_from}."
            )
        return lines


_PLURALS = {
    "key question": "key questions",
    "area": "areas",
    "quality indicator": "quality indicators",
    "scale level": "scale levels",
    "inspection statement": "inspection statements",
    "proportion band": "proportion bands",
}


def _plural(n: int, kind: str) -> str:
    return f"{n} {kind if n == 1 else _PLURALS.get(kind, kind + 's')}"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 90.00 -> "90" (not "9E+1"), 89.50 -> "89.5"
    return value


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(current, Decimal) or isinstance(wanted, Decimal):
        return Decimal(str(current)) == Decimal(str(wanted))
    return bool(current == wanted)


def _apply(obj: models.Model, wanted: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the fields that differ; return them as {field: [before, after]}."""
    changes: dict[str, list[Any]] = {}
    for name, value in wanted.items():
        current = getattr(obj, name)
        if not _same(current, value):
            changes[name] = [_jsonable(current), _jsonable(value)]
            setattr(obj, name, value)
    return changes


def _sync(
    *,
    model: type[M],
    framework: Framework,
    key_field: str,
    kind: str,
    label: Callable[[Any], str],
    rows: list[tuple[Any, dict[str, Any]]],
    result: LoadResult,
) -> dict[Any, M]:
    """Create, update in place or retire one kind of row; return the live rows by key."""
    existing: dict[Any, M] = {
        getattr(obj, key_field): obj for obj in model._default_manager.filter(framework=framework)
    }
    live: dict[Any, M] = {}
    for key, fields in rows:
        wanted = {**fields, "retired": False}
        obj = existing.pop(key, None)
        if obj is None:
            obj = model._default_manager.create(framework=framework, **{key_field: key}, **wanted)
            result.created.append((kind, label(key)))
        else:
            changes = _apply(obj, wanted)
            if changes:
                obj.save(update_fields=[*changes, "updated_at"])
                result.updated[label(key)] = changes
        live[key] = obj
    for key, obj in existing.items():
        if not obj.retired:
            obj.retired = True
            obj.save(update_fields=["retired", "updated_at"])
            result.retired.append((kind, label(key)))
    return live


@transaction.atomic
def framework_load(*, path: Path | str, actor: User | None) -> LoadResult:
    """Load or reload one framework file, all or nothing.

    Raises ``schema.FrameworkFileError`` (nothing written) when the file is unreadable or
    breaks a rule. Idempotent: loading an unchanged file writes nothing, not even an audit
    event. When the file sets ``is_default: true`` any other default framework stops being
    the default. Writes one ``frameworks.framework.loaded`` audit event when anything
    changed, with the lists of what was created, updated (before and after) and retired.
    """
    data = read_framework_file(path)
    return _load(data, actor=actor)


def _load(data: FrameworkData, *, actor: User | None) -> LoadResult:
    fw_fields: dict[str, Any] = {
        "title": data.title,
        "version": data.version,
        "publisher": data.publisher,
        "description": data.description,
        "status": data.status,
        "source": data.source,
        "source_note": data.source_note,
        "scale_vocabulary": data.scale_vocabulary,
        "is_default": data.is_default,
    }
    # Which file the rows came from: bookkeeping, not content, so a change here alone (an
    # edited comment, a renamed file) is saved but is not reported or audited.
    file_fields = {"file_name": data.file_name, "file_hash": data.file_hash}
    framework = Framework.objects.select_for_update().filter(slug=data.slug).first()
    result = LoadResult(framework=framework or Framework(slug=data.slug), file_name=data.file_name)

    if data.is_default:
        previous = Framework.objects.filter(is_default=True).exclude(slug=data.slug).first()
        if previous is not None:
            previous.is_default = False
            previous.save(update_fields=["is_default", "updated_at"])
            result.default_taken_from = previous.slug

    if framework is None:
        framework = Framework.objects.create(slug=data.slug, **fw_fields, **file_fields)
        result.framework = framework
        result.framework_created = True
    else:
        changes = _apply(framework, fw_fields)
        file_changes = _apply(framework, file_fields)
        if changes or file_changes:
            framework.save(update_fields=[*changes, *file_changes, "updated_at"])
        if changes:
            result.updated[f"framework {framework.slug}"] = changes

    key_questions = _sync(
        model=KeyQuestion,
        framework=framework,
        key_field="number",
        kind="key question",
        label=lambda n: f"key question {n}",
        rows=[
            (
                k.number,
                {
                    "title": k.title,
                    "domain": k.domain,
                    "domain_status": k.domain_status,
                    "status": k.status,
                    "source": k.source,
                    "source_note": k.source_note,
                },
            )
            for k in data.key_questions
        ],
        result=result,
    )
    areas = _sync(
        model=Area,
        framework=framework,
        key_field="number",
        kind="area",
        label=lambda n: f"area {n}",
        rows=[
            (
                a.number,
                {
                    "key_question_id": key_questions[a.key_question].pk,
                    "title": a.title,
                    "status": a.status,
                    "source": a.source,
                    "source_note": a.source_note,
                },
            )
            for a in data.areas
        ],
        result=result,
    )
    _sync(
        model=QualityIndicator,
        framework=framework,
        key_field="number",
        kind="quality indicator",
        label=lambda n: f"QI {n}",
        rows=[
            (
                q.number,
                {
                    "area_id": areas[q.area].pk,
                    "title": q.title,
                    "themes": list(q.themes),
                    "illustration_very_good": q.illustration_very_good,
                    "illustration_weak": q.illustration_weak,
                    "content_status": q.content_status,
                    "prompts": list(q.prompts),
                    "status": q.status,
                    "source": q.source,
                    "source_note": q.source_note,
                    "sort_order": q.sort_order,
                },
            )
            for q in data.quality_indicators
        ],
        result=result,
    )
    _sync(
        model=ScaleLevel,
        framework=framework,
        key_field="level",
        kind="scale level",
        label=lambda n: f"scale level {n}",
        rows=[
            (
                s.level,
                {
                    "word_ci": s.word_ci,
                    "word_es": s.word_es,
                    "meaning": s.meaning,
                    "meaning_es": s.meaning_es,
                    "detail": s.detail,
                    "status": s.status,
                    "source": s.source,
                    "source_note": s.source_note,
                },
            )
            for s in data.scale
        ],
        result=result,
    )
    _sync(
        model=InspectionStatement,
        framework=framework,
        key_field="number",
        kind="inspection statement",
        label=lambda n: f"inspection statement {n}",
        rows=[
            (
                s.number,
                {
                    "short_title": s.short_title,
                    "text": s.text,
                    "status": s.status,
                    "source": s.source,
                    "source_note": s.source_note,
                },
            )
            for s in data.inspection_statements
        ],
        result=result,
    )
    _sync(
        model=ProportionBand,
        framework=framework,
        key_field="word",
        kind="proportion band",
        label=lambda w: f"proportion word {w!r}",
        rows=[
            (
                b.word,
                {
                    "before_noun": b.before_noun,
                    "published": b.published,
                    "lower": b.lower,
                    "upper": b.upper,
                    "lower_inclusive": b.lower_inclusive,
                    "upper_inclusive": b.upper_inclusive,
                    "order": b.order,
                    "status": b.status,
                    "source": b.source,
                    "source_note": b.source_note,
                },
            )
            for b in data.proportion_bands
        ],
        result=result,
    )

    if result.changed:
        framework.loaded_at = timezone.now()
        framework.save(update_fields=["loaded_at", "updated_at"])
        audit.log(
            actor=actor,
            action=LOADED,
            target=framework,
            data={
                "file": data.file_name,
                "sha256": data.file_hash,
                "framework_created": result.framework_created,
                "created": result.created_counts(),
                "updated": result.updated,
                "retired": [label for _, label in result.retired],
                "default_taken_from": result.default_taken_from,
            },
        )
    return result


def themes_from_text(text: str) -> list[str]:
    """Themes typed one to a line: blank lines dropped, spaces trimmed.

    Raises ``ValidationError`` on the ``themes`` field naming each line that is too long
    (counting every line typed, blank ones too, so the number matches what the person sees).
    """
    errors: list[str] = []
    themes: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        theme = " ".join(line.split())
        if not theme:
            continue
        if len(theme) > MAX_THEME_LENGTH:
            errors.append(
                f"Line {number} of the themes is {len(theme)} characters long: keep each "
                f"theme to {MAX_THEME_LENGTH} or fewer."
            )
        themes.append(theme)
    if errors:
        raise ValidationError({"themes": errors})
    return themes


def _check_fill_in(*, themes: list[str], very_good: str, weak: str, copied_from: str) -> None:
    errors: dict[str, list[str]] = {}
    if not copied_from:
        errors.setdefault("copied_from", []).append(
            "Say which copy of the framework you copied from: its title, edition and page."
        )
    elif len(copied_from) > MAX_COPIED_FROM_LENGTH:
        errors.setdefault("copied_from", []).append(
            f"The name of your copy is {len(copied_from)} characters long: keep it to "
            f"{MAX_COPIED_FROM_LENGTH} or fewer."
        )
    if len(themes) > MAX_THEMES:
        errors.setdefault("themes", []).append(
            f"There are {len(themes)} themes: HowGood keeps up to {MAX_THEMES} for one indicator."
        )
    for number, theme in enumerate(themes, start=1):
        if len(theme) > MAX_THEME_LENGTH:
            errors.setdefault("themes", []).append(
                f"Theme {number} is {len(theme)} characters long: keep each theme to "
                f"{MAX_THEME_LENGTH} or fewer."
            )
    for field_name, words, text in (
        ("illustration_very_good", "The very good illustration", very_good),
        ("illustration_weak", "The weak illustration", weak),
    ):
        if len(text) > MAX_ILLUSTRATION_LENGTH:
            errors.setdefault(field_name, []).append(
                f"{words} is {len(text):,} characters long: HowGood keeps up to "
                f"{MAX_ILLUSTRATION_LENGTH:,}."
            )
    if errors:
        raise ValidationError(errors)
    if not (themes or very_good or weak):
        raise ValidationError(
            "Fill in at least one theme or illustration: there is nothing to save."
        )


@transaction.atomic
def indicator_fill_in(
    *,
    quality_indicator: QualityIndicator,
    partnership: Partnership | None,
    themes: list[str],
    illustration_very_good: str,
    illustration_weak: str,
    copied_from: str,
    actor: User,
) -> IndicatorContent:
    """Save an indicator's themes and illustrations as typed in from the actor's own copy.

    ``partnership`` is whose copy this is (its members read it); ``None`` is the copy an
    administrator fills in for every partnership without its own. Who may do which is
    decided by ``access.get_indicator_to_fill_in``. Creates the one copy for that indicator
    and partnership, or replaces its text; records who filled it in, from which copy
    (required) and when. Saving the same text again changes nothing and writes no event.
    Otherwise writes one ``frameworks.indicator.filled_in`` audit event with the fields
    that changed, before and after. Raises ``ValidationError`` (by field) and saves nothing
    when the copy is not named, there is nothing to save or a limit is passed.
    """
    themes = [" ".join(t.split()) for t in themes if t and t.strip()]
    very_good = illustration_very_good.strip()
    weak = illustration_weak.strip()
    copied_from = " ".join(copied_from.split())
    _check_fill_in(themes=themes, very_good=very_good, weak=weak, copied_from=copied_from)

    wanted: dict[str, Any] = {
        "themes": themes,
        "illustration_very_good": very_good,
        "illustration_weak": weak,
        "copied_from": copied_from,
    }
    mine = IndicatorContent.objects.select_for_update().filter(
        quality_indicator=quality_indicator, partnership=partnership
    )
    content = mine.first()
    if content is None:
        try:
            with transaction.atomic():  # a savepoint: a concurrent first save may win
                content = IndicatorContent.objects.create(
                    quality_indicator=quality_indicator,
                    partnership=partnership,
                    filled_in_by=actor,
                    filled_in_by_name=_name(actor),
                    filled_in_at=timezone.now(),
                    **wanted,
                )
        except IntegrityError:
            content = mine.get()
        else:
            empty = IndicatorContent(quality_indicator=quality_indicator)
            changes = {
                name: [getattr(empty, name), value]
                for name, value in wanted.items()
                if getattr(empty, name) != value
            }
            return _record_fill_in(content, partnership, changes, actor)
    changes = _apply(content, wanted)
    if not changes:
        return content
    content.filled_in_by = actor
    content.filled_in_by_name = _name(actor)
    content.filled_in_at = timezone.now()
    content.save()
    return _record_fill_in(content, partnership, changes, actor)


def _name(user: User) -> str:
    return (user.full_name or user.email)[:150]


def _record_fill_in(
    content: IndicatorContent,
    partnership: Partnership | None,
    changes: dict[str, list[Any]],
    actor: User,
) -> IndicatorContent:
    quality_indicator = content.quality_indicator
    audit.log(
        actor=actor,
        action=FILLED_IN,
        target=quality_indicator,
        partnership=partnership,
        data={
            "for": partnership.name if partnership is not None else "every partnership",
            "copied_from": content.copied_from,
            "changed": changes,
        },
    )
    return content
