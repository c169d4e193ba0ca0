"""Reading and checking a framework file (YAML) before anything touches the database.

:func:`read_framework_file` returns a :class:`FrameworkData` or raises
:class:`FrameworkFileError` listing every problem found, each naming the file and the
key path, e.g. ``qif-2019.yaml: quality_indicators[3].number: expected a number like
2.1``. No database access here: this module only reads and checks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from howgood.stats.proportions import Band, check_bands

STATUSES = ("V", "P", "U")
VOCABULARIES = ("ci", "es")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QI_NUMBER_RE = re.compile(r"^([1-9][0-9]*)\.([1-9][0-9]*)$")


class FrameworkFileError(Exception):
    """A framework file could not be read or broke a rule. ``errors`` lists each problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class KeyQuestionData:
    number: int
    title: str
    domain: str
    domain_status: str
    status: str
    source: str
    source_note: str


@dataclass(frozen=True)
class AreaData:
    number: int
    key_question: int
    title: str
    status: str
    source: str
    source_note: str


@dataclass(frozen=True)
class QualityIndicatorData:
    number: str
    area: int
    sort_order: int
    title: str
    themes: list[str]
    illustration_very_good: str
    illustration_weak: str
    content_status: str
    prompts: list[str]
    status: str
    source: str
    source_note: str


@dataclass(frozen=True)
class ScaleLevelData:
    level: int
    word_ci: str
    word_es: str
    meaning: str
    meaning_es: str
    detail: str
    status: str
    source: str
    source_note: str


@dataclass(frozen=True)
class InspectionStatementData:
    number: int
    short_title: str
    text: str
    status: str
    source: str
    source_note: str


@dataclass(frozen=True)
class ProportionBandData:
    word: str
    before_noun: str
    published: str
    lower: Decimal
    upper: Decimal
    lower_inclusive: bool
    upper_inclusive: bool
    order: int
    status: str
    source: str
    source_note: str


@dataclass(frozen=True)
class FrameworkData:
    file_name: str
    file_hash: str
    slug: str
    title: str
    version: str
    publisher: str
    description: str
    status: str
    source: str
    source_note: str
    scale_vocabulary: str
    is_default: bool
    key_questions: list[KeyQuestionData] = field(default_factory=list)
    areas: list[AreaData] = field(default_factory=list)
    quality_indicators: list[QualityIndicatorData] = field(default_factory=list)
    scale: list[ScaleLevelData] = field(default_factory=list)
    inspection_statements: list[InspectionStatementData] = field(default_factory=list)
    proportion_bands: list[ProportionBandData] = field(default_factory=list)


def qi_sort_order(number: str) -> int:
    """Numeric order of a QI number, so 10.1 sorts after 9.4."""
    major, minor = number.split(".")
    return int(major) * 1000 + int(minor)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice in one mapping (YAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found the key {key!r} twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class _Checker:
    """Collects every problem in a file, each with its key path, instead of stopping at one."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.errors: list[str] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(
            f"{self.file_name}: {path}: {message}" if path else f"{self.file_name}: {message}"
        )

    def mapping(
        self, value: Any, path: str, allowed: Iterable[str], required: Iterable[str]
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(path, f"expected a mapping of keys and values, got {_describe(value)}")
            return None
        allowed_set = set(allowed)
        for key in value:
            if key not in allowed_set:
                self.error(
                    f"{path}.{key}" if path else str(key),
                    f"unknown key (expected one of: {', '.join(sorted(allowed_set))})",
                )
        for key in required:
            if key not in value:
                self.error(f"{path}.{key}" if path else key, "missing")
        return value

    def text(
        self,
        m: dict[str, Any],
        key: str,
        path: str,
        *,
        blank: bool = False,
        default: str | None = None,
    ) -> str:
        where = f"{path}.{key}" if path else key
        if key not in m:
            return default if default is not None else ""
        value = m[key]
        if value is None and blank:
            return ""
        if not isinstance(value, str):
            hint = " (put it in quotes)" if isinstance(value, (int, float, bool)) else ""
            self.error(where, f"expected text, got {_describe(value)}{hint}")
            return ""
        value = value.strip()
        if not value and not blank:
            self.error(where, "must not be empty")
        return value

    def integer(
        self,
        m: dict[str, Any],
        key: str,
        path: str,
        *,
        minimum: int = 1,
        maximum: int | None = None,
    ) -> int:
        where = f"{path}.{key}" if path else key
        value = m.get(key)
        if key not in m:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(where, f"expected a whole number, got {_describe(value)}")
            return 0
        if value < minimum or (maximum is not None and value > maximum):
            bounds = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
            self.error(where, f"expected a whole number {bounds}, got {value}")
            return 0
        return value

    def boolean(self, m: dict[str, Any], key: str, path: str, *, default: bool) -> bool:
        where = f"{path}.{key}" if path else key
        if key not in m:
            return default
        value = m[key]
        if not isinstance(value, bool):
            self.error(where, f"expected true or false, got {_describe(value)}")
            return default
        return value

    def choice(
        self, m: dict[str, Any], key: str, path: str, choices: tuple[str, ...], *, default: str
    ) -> str:
        where = f"{path}.{key}" if path else key
        if key not in m:
            return default
        value = m[key]
        if value not in choices:
            self.error(where, f"expected one of {', '.join(choices)}, got {_describe(value)}")
            return default
        return str(value)

    def status(self, m: dict[str, Any], key: str, path: str) -> str:
        where = f"{path}.{key}" if path else key
        if key not in m:
            return "U"  # a required key: mapping() has reported it missing
        value = m[key]
        if value not in STATUSES:
            self.error(
                where,
                "expected V (verified), P (partly verified) or U (unverified), "
                f"got {_describe(value)}",
            )
            return "U"
        return str(value)

    def text_list(self, m: dict[str, Any], key: str, path: str) -> list[str]:
        where = f"{path}.{key}" if path else key
        value = m.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(where, f"expected a list of text, got {_describe(value)}")
            return []
        items: list[str] = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.error(f"{where}[{i}]", f"expected text, got {_describe(item)}")
                continue
            items.append(item.strip())
        return items

    def percent(self, m: dict[str, Any], key: str, path: str) -> Decimal:
        where = f"{path}.{key}" if path else key
        value = m.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.error(where, f"expected a percentage from 0 to 100, got {_describe(value)}")
            return Decimal(0)
        try:
            number = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover - str of an int/float is always a number
            number = Decimal(-1)
        if not Decimal(0) <= number <= Decimal(100) or number != number.quantize(Decimal("0.01")):
            self.error(
                where,
                f"expected a percentage from 0 to 100 with at most 2 decimal places, got {value}",
            )
            return Decimal(0)
        return number

    def section(self, data: dict[str, Any], key: str, *, required: bool) -> list[Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.error(key, "missing: expected a list")
            return []
        if not isinstance(value, list):
            self.error(key, f"expected a list, got {_describe(value)}")
            return []
        if required and not value:
            self.error(key, "must not be empty")
        return value

    def unique(self, items: list[Any], key: Callable[[Any], Any], section: str, what: str) -> None:
        seen: dict[Any, int] = {}
        for i, item in enumerate(items):
            k = key(item)
            if k in seen:
                self.error(f"{section}[{i}]", f"{what} {k} is already used by {section}[{seen[k]}]")
            else:
                seen[k] = i


TOP_KEYS = (
    "slug",
    "title",
    "version",
    "publisher",
    "description",
    "status",
    "source",
    "source_note",
    "scale_vocabulary",
    "is_default",
    "key_questions",
    "areas",
    "quality_indicators",
    "scale",
    "inspection_statements",
    "proportion_bands",
)
TOP_REQUIRED = (
    "slug",
    "title",
    "version",
    "publisher",
    "status",
    "source",
    "key_questions",
    "areas",
    "quality_indicators",
    "scale",
)


def parse_framework(data: Any, *, file_name: str, file_hash: str = "") -> FrameworkData:
    """Check already-read YAML data and turn it into :class:`FrameworkData`.

    Raises :class:`FrameworkFileError` with every problem found.
    """
    c = _Checker(file_name)
    top = c.mapping(data, "", TOP_KEYS, TOP_REQUIRED)
    if top is None:
        raise FrameworkFileError(c.errors)

    slug = c.text(top, "slug", "")
    if slug and not SLUG_RE.match(slug):
        c.error(
            "slug",
            "expected lower-case letters, digits and hyphens, like qif-2019, "
            f"got {_describe(slug)}",
        )
    if len(slug) > 60:
        c.error("slug", "must be 60 characters or fewer")

    key_questions: list[KeyQuestionData] = []
    for i, raw in enumerate(c.section(top, "key_questions", required=True)):
        path = f"key_questions[{i}]"
        m = c.mapping(
            raw,
            path,
            ("number", "title", "domain", "domain_status", "status", "source", "source_note"),
            ("number", "title", "domain", "status", "source"),
        )
        if m is None:
            continue
        key_questions.append(
            KeyQuestionData(
                number=c.integer(m, "number", path),
                title=c.text(m, "title", path),
                domain=c.text(m, "domain", path),
                domain_status=c.status(
                    m, "domain_status" if "domain_status" in m else "status", path
                ),
                status=c.status(m, "status", path),
                source=c.text(m, "source", path),
                source_note=c.text(m, "source_note", path, blank=True),
            )
        )
    c.unique(key_questions, lambda k: k.number, "key_questions", "number")
    kq_numbers = {k.number for k in key_questions}

    areas: list[AreaData] = []
    for i, raw in enumerate(c.section(top, "areas", required=True)):
        path = f"areas[{i}]"
        m = c.mapping(
            raw,
            path,
            ("number", "key_question", "title", "status", "source", "source_note"),
            ("number", "key_question", "status", "source"),
        )
        if m is None:
            continue
        area = AreaData(
            number=c.integer(m, "number", path),
            key_question=c.integer(m, "key_question", path),
            title=c.text(m, "title", path, blank=True),
            status=c.status(m, "status", path),
            source=c.text(m, "source", path),
            source_note=c.text(m, "source_note", path, blank=True),
        )
        if area.key_question and area.key_question not in kq_numbers:
            c.error(
                f"{path}.key_question",
                f"there is no key question {area.key_question} in key_questions",
            )
        areas.append(area)
    c.unique(areas, lambda a: a.number, "areas", "number")
    area_numbers = {a.number for a in areas}

    indicators: list[QualityIndicatorData] = []
    qi_keys = (
        "number",
        "title",
        "themes",
        "illustration_very_good",
        "illustration_weak",
        "content_status",
        "prompts",
        "status",
        "source",
        "source_note",
    )
    for i, raw in enumerate(c.section(top, "quality_indicators", required=True)):
        path = f"quality_indicators[{i}]"
        m = c.mapping(raw, path, qi_keys, ("number", "title", "status", "source"))
        if m is None:
            continue
        number_raw = m.get("number")
        number = ""
        if isinstance(number_raw, float):
            c.error(
                f"{path}.number",
                f'expected a number like 2.1 in quotes ("{number_raw}"), so YAML keeps it as text',
            )
        elif not isinstance(number_raw, str) or not QI_NUMBER_RE.match(number_raw.strip()):
            if "number" in m:
                c.error(
                    f"{path}.number", f"expected a number like 2.1, got {_describe(number_raw)}"
                )
        else:
            number = number_raw.strip()
        area_number = int(number.split(".")[0]) if number else 0
        if number and area_number not in area_numbers:
            c.error(
                f"{path}.number",
                f"indicator {number} belongs to area {area_number}, which is not in areas",
            )
        qi = QualityIndicatorData(
            number=number,
            area=area_number,
            sort_order=qi_sort_order(number) if number else 0,
            title=c.text(m, "title", path),
            themes=c.text_list(m, "themes", path),
            illustration_very_good=c.text(m, "illustration_very_good", path, blank=True),
            illustration_weak=c.text(m, "illustration_weak", path, blank=True),
            content_status=c.status(m, "content_status", path) if "content_status" in m else "U",
            prompts=c.text_list(m, "prompts", path),
            status=c.status(m, "status", path),
            source=c.text(m, "source", path),
            source_note=c.text(m, "source_note", path, blank=True),
        )
        if qi.content_status == "V":
            # Verified content must be there: a verified tag over empty themes misleads.
            empty = [
                name
                for name, value in (
                    ("themes", qi.themes),
                    ("illustration_very_good", qi.illustration_very_good),
                    ("illustration_weak", qi.illustration_weak),
                )
                if not value
            ]
            if empty:
                c.error(
                    f"{path}.content_status",
                    "V (verified) needs the themes and both illustrations; "
                    f"{' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty",
                )
        indicators.append(qi)
    c.unique(
        [q for q in indicators if q.number], lambda q: q.number, "quality_indicators", "number"
    )

    scale: list[ScaleLevelData] = []
    scale_keys = (
        "level",
        "word_ci",
        "word_es",
        "meaning",
        "meaning_es",
        "detail",
        "status",
        "source",
        "source_note",
    )
    for i, raw in enumerate(c.section(top, "scale", required=True)):
        path = f"scale[{i}]"
        m = c.mapping(
            raw, path, scale_keys, ("level", "word_ci", "word_es", "meaning", "status", "source")
        )
        if m is None:
            continue
        scale.append(
            ScaleLevelData(
                level=c.integer(m, "level", path, minimum=1, maximum=6),
                word_ci=c.text(m, "word_ci", path),
                word_es=c.text(m, "word_es", path),
                meaning=c.text(m, "meaning", path),
                meaning_es=c.text(m, "meaning_es", path, blank=True),
                detail=c.text(m, "detail", path, blank=True),
                status=c.status(m, "status", path),
                source=c.text(m, "source", path),
                source_note=c.text(m, "source_note", path, blank=True),
            )
        )
    c.unique(scale, lambda s: s.level, "scale", "level")
    missing_levels = sorted(set(range(1, 7)) - {s.level for s in scale})
    if scale and missing_levels:
        c.error(
            "scale",
            f"expected all six levels, 1 to 6; missing {', '.join(map(str, missing_levels))}",
        )

    statements: list[InspectionStatementData] = []
    for i, raw in enumerate(c.section(top, "inspection_statements", required=False)):
        path = f"inspection_statements[{i}]"
        m = c.mapping(
            raw,
            path,
            ("number", "short_title", "text", "status", "source", "source_note"),
            ("number", "short_title", "text", "status", "source"),
        )
        if m is None:
            continue
        statements.append(
            InspectionStatementData(
                number=c.integer(m, "number", path),
                short_title=c.text(m, "short_title", path),
                text=c.text(m, "text", path),
                status=c.status(m, "status", path),
                source=c.text(m, "source", path),
                source_note=c.text(m, "source_note", path, blank=True),
            )
        )
    c.unique(statements, lambda s: s.number, "inspection_statements", "number")

    bands: list[ProportionBandData] = []
    band_keys = (
        "word",
        "before_noun",
        "published",
        "lower",
        "upper",
        "lower_inclusive",
        "upper_inclusive",
        "status",
        "source",
        "source_note",
    )
    for i, raw in enumerate(c.section(top, "proportion_bands", required=False)):
        path = f"proportion_bands[{i}]"
        m = c.mapping(raw, path, band_keys, ("word", "lower", "upper", "status", "source"))
        if m is None:
            continue
        band = ProportionBandData(
            word=c.text(m, "word", path),
            before_noun=c.text(m, "before_noun", path, blank=True),
            published=c.text(m, "published", path, blank=True),
            lower=c.percent(m, "lower", path),
            upper=c.percent(m, "upper", path),
            lower_inclusive=c.boolean(m, "lower_inclusive", path, default=True),
            upper_inclusive=c.boolean(m, "upper_inclusive", path, default=True),
            order=i + 1,
            status=c.status(m, "status", path),
            source=c.text(m, "source", path),
            source_note=c.text(m, "source_note", path, blank=True),
        )
        if band.lower > band.upper:
            c.error(f"{path}.lower", f"lower ({band.lower}) must not be above upper ({band.upper})")
        bands.append(band)
    c.unique(bands, lambda b: b.word, "proportion_bands", "word")
    if bands and not c.errors:
        try:
            check_bands(
                [
                    Band(
                        b.word,
                        b.lower,
                        b.upper,
                        b.lower_inclusive,
                        b.upper_inclusive,
                        b.before_noun,
                    )
                    for b in bands
                ]
            )
        except ValueError as exc:
            c.error("proportion_bands", f"{exc}. The bands must cover 0% to 100% once each")

    framework = FrameworkData(
        file_name=file_name,
        file_hash=file_hash,
        slug=slug,
        title=c.text(top, "title", ""),
        version=c.text(top, "version", ""),
        publisher=c.text(top, "publisher", ""),
        description=c.text(top, "description", "", blank=True),
        status=c.status(top, "status", ""),
        source=c.text(top, "source", ""),
        source_note=c.text(top, "source_note", "", blank=True),
        scale_vocabulary=c.choice(top, "scale_vocabulary", "", VOCABULARIES, default="ci"),
        is_default=c.boolean(top, "is_default", "", default=False),
        key_questions=key_questions,
        areas=areas,
        quality_indicators=indicators,
        scale=scale,
        inspection_statements=statements,
        proportion_bands=bands,
    )
    if c.errors:
        raise FrameworkFileError(c.errors)
    return framework


def read_framework_file(path: Path | str) -> FrameworkData:
    """Read, check and return one framework file. Raises :class:`FrameworkFileError`."""
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkFileError(
            [f"{name}: could not read the file ({exc.strerror or exc})"]
        ) from exc
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except UnicodeDecodeError as exc:
        raise FrameworkFileError([f"{name}: the file is not UTF-8 text"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FrameworkFileError([f"{name}: {where}not valid YAML ({problem})"]) from exc
    return parse_framework(data, file_name=name, file_hash=hashlib.sha256(raw).hexdigest())
