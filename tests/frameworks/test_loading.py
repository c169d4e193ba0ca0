"""Loading the framework file: counts, statuses, idempotence, updates in place, retiring,
and errors that name the file and key path and load nothing."""

from __future__ import annotations

import copy
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from howgood.core.models import AuditEvent
from howgood.frameworks import selectors
from howgood.frameworks.models import (
    Area,
    Framework,
    InspectionStatement,
    KeyQuestion,
    ProportionBand,
    QualityIndicator,
    ScaleLevel,
)
from howgood.frameworks.schema import FrameworkFileError, read_framework_file
from howgood.frameworks.services import LOADED, LoadResult, framework_load
from howgood.stats.proportions import proportion_word

from .conftest import QIF_PATH

pytestmark = pytest.mark.django_db

ALL_MODELS = (
    Framework,
    KeyQuestion,
    Area,
    QualityIndicator,
    ScaleLevel,
    InspectionStatement,
    ProportionBand,
)


def snapshot() -> dict[str, dict[Any, Any]]:
    """Every framework row's primary key and fields, to show a reload changed nothing."""
    return {
        m.__name__: {
            row["id"]: {k: v for k, v in row.items() if k not in {"updated_at"}}
            for row in m.objects.values()
        }
        for m in ALL_MODELS
    }


def qi(number: str) -> QualityIndicator:
    return QualityIndicator.objects.get(framework__slug="qif-2019", number=number)


# --- The real file ----------------------------------------------------------------------


def test_real_file_loads_the_whole_framework(qif: LoadResult) -> None:
    fw = Framework.objects.get(slug="qif-2019")
    assert qif.framework_created and qif.framework == fw
    assert fw.version == "2019 (revised)"
    assert fw.publisher == "Care Inspectorate"
    assert fw.is_default and fw.scale_vocabulary == "ci"
    assert len(fw.file_hash) == 64 and fw.file_name == "qif-2019.yaml" and fw.loaded_at
    assert fw.key_questions.count() == 6
    assert fw.areas.count() == 10
    assert fw.quality_indicators.count() == 22
    assert fw.scale_levels.count() == 6
    assert fw.inspection_statements.count() == 4
    assert fw.proportion_bands.count() == 7
    assert qif.created_counts() == {
        "key question": 6,
        "area": 10,
        "quality indicator": 22,
        "scale level": 6,
        "inspection statement": 4,
        "proportion band": 7,
    }


def test_every_area_has_indicators_and_numbers_match_areas(qif: LoadResult) -> None:
    for area in Area.objects.all():
        numbers = [q.number for q in area.quality_indicators.all()]
        assert numbers, f"area {area.number} has no indicators"
        assert all(n.split(".")[0] == str(area.number) for n in numbers)


def test_statuses_follow_the_domain_notes(qif: LoadResult) -> None:
    statuses = dict(QualityIndicator.objects.values_list("number", "status"))
    assert {n for n, s in statuses.items() if s == "V"} == {"2.1", "5.3", "5.4", "9.2"}
    assert {n for n, s in statuses.items() if s == "P"} == {"6.4"}
    assert sum(1 for s in statuses.values() if s == "U") == 17
    assert qi("2.1").title == "Impact on children and young people"
    assert qi("9.2").title == "Leadership of strategy and direction"
    # Quoted from a secondary source (the joint inspection remit): partly verified.
    assert set(InspectionStatement.objects.values_list("status", flat=True)) == {"P"}
    # Nobody has checked any indicator's themes and illustrations.
    assert set(QualityIndicator.objects.values_list("content_status", flat=True)) == {"U"}
    bands = dict(ProportionBand.objects.values_list("word", "status"))
    assert bands == {
        "all": "U",
        "almost all": "V",
        "most": "V",
        "the majority": "V",
        "less than half": "V",
        "few": "V",
        "none": "U",
    }
    assert set(KeyQuestion.objects.values_list("domain_status", flat=True)) == {"V"}
    for model in ALL_MODELS:
        assert not model.objects.filter(source="").exists(), model.__name__
    # Everything the pages name a source for has it in plain words.
    assert not QualityIndicator.objects.filter(source_note="").exists()
    assert not InspectionStatement.objects.filter(source_note="").exists()
    assert Framework.objects.get().source_note


def test_no_illustration_or_theme_is_invented(qif: LoadResult) -> None:
    # DOMAIN.md gives no illustration or theme text for any indicator: all stay empty.
    assert not QualityIndicator.objects.exclude(illustration_very_good="").exists()
    assert not QualityIndicator.objects.exclude(illustration_weak="").exists()
    assert all(q.themes == [] for q in QualityIndicator.objects.all())


def test_scale_has_both_vocabularies(qif: LoadResult) -> None:
    levels = {s.level: s for s in ScaleLevel.objects.all()}
    assert [levels[n].word_ci for n in range(6, 0, -1)] == [
        "Excellent",
        "Very good",
        "Good",
        "Adequate",
        "Weak",
        "Unsatisfactory",
    ]
    assert levels[3].word_es == "Satisfactory"
    assert all(levels[n].word_ci == levels[n].word_es for n in (1, 2, 4, 5, 6))
    assert levels[3].meaning == "Strengths just outweigh weaknesses"
    fw = qif.framework
    assert selectors.scale_words(fw)[3] == "Adequate"
    fw.scale_vocabulary = "es"
    assert selectors.scale_words(fw)[3] == "Satisfactory"


def test_bands_from_the_database_drive_the_words(qif: LoadResult) -> None:
    bands = selectors.bands_for(qif.framework)
    assert [b.word for b in bands][:3] == ["all", "almost all", "most"]
    assert proportion_word(18, 31, bands) == "the majority"
    assert proportion_word(0, 31, bands) == "none"
    assert proportion_word(31, 31, bands) == "all"
    # The same words as the built-in default for every share of 1 to 200.
    for total in (1, 7, 31, 200):
        for count in range(total + 1):
            assert proportion_word(count, total, bands) == proportion_word(count, total)


def test_audit_event_written_on_first_load(qif: LoadResult) -> None:
    event = AuditEvent.objects.get(action=LOADED)
    assert event.actor is None and event.actor_label == "system"
    assert event.target_type == "frameworks.framework"
    assert event.target_id == str(qif.framework.pk)
    assert event.data["created"]["quality indicator"] == 22
    assert event.data["file"] == "qif-2019.yaml"


# --- Reloading --------------------------------------------------------------------------


def test_reload_is_idempotent_and_keeps_primary_keys(qif: LoadResult) -> None:
    before = snapshot()
    events = AuditEvent.objects.count()
    again = framework_load(path=QIF_PATH, actor=None)
    assert not again.changed
    assert again.summary_lines() == ["qif-2019.yaml: no changes; qif-2019 is up to date."]
    assert snapshot() == before
    assert AuditEvent.objects.count() == events  # nothing changed, nothing to audit


def test_changed_title_updates_in_place(
    qif: LoadResult, qif_data: dict[str, Any], write_framework: Callable[..., Path], user: Any
) -> None:
    old = qi("2.2")
    qif_data["quality_indicators"][2]["title"] = "Impact on parents and carers"
    result = framework_load(path=write_framework(qif_data), actor=user)
    assert result.updated == {
        "QI 2.2": {"title": ["Impact on families", "Impact on parents and carers"]}
    }
    assert not result.created and not result.retired
    new = qi("2.2")
    assert new.pk == old.pk and new.title == "Impact on parents and carers"
    event = AuditEvent.objects.filter(action=LOADED).first()
    assert event is not None and event.actor == user
    assert event.data["updated"]["QI 2.2"]["title"] == [
        "Impact on families",
        "Impact on parents and carers",
    ]


def test_band_bounds_compare_as_numbers(
    qif: LoadResult, qif_data: dict[str, Any], write_framework: Callable[..., Path]
) -> None:
    # 90 in the file and 90.00 in the database are the same: no spurious update.
    qif_data["proportion_bands"][2]["lower"] = 75.0
    result = framework_load(path=write_framework(qif_data), actor=None)
    assert "proportion word 'most'" not in result.updated


def test_removed_indicator_is_retired_not_deleted_and_can_return(
    qif: LoadResult, qif_data: dict[str, Any], write_framework: Callable[..., Path]
) -> None:
    pk = qi("8.2").pk
    full = copy.deepcopy(qif_data)
    qif_data["quality_indicators"] = [
        q for q in qif_data["quality_indicators"] if q["number"] != "8.2"
    ]
    result = framework_load(path=write_framework(qif_data), actor=None)
    assert result.retired == [("quality indicator", "QI 8.2")]
    retired = QualityIndicator.objects.get(pk=pk)
    assert retired.retired
    assert "8.2" not in [q.number for q in selectors.quality_indicators_for(qif.framework)]
    assert QualityIndicator.objects.count() == 22

    # Loading the same shortened file again changes nothing.
    assert not framework_load(path=write_framework(qif_data), actor=None).changed

    # Putting it back restores the same row.
    result = framework_load(path=write_framework(full), actor=None)
    assert result.updated == {"QI 8.2": {"retired": [True, False]}}
    assert QualityIndicator.objects.get(pk=pk).retired is False


def test_removed_statement_and_band_are_retired(
    qif: LoadResult, qif_data: dict[str, Any], write_framework: Callable[..., Path]
) -> None:
    qif_data["inspection_statements"] = qif_data["inspection_statements"][:3]
    # Without "all", "almost all" must take 100%.
    qif_data["proportion_bands"] = qif_data["proportion_bands"][1:]
    qif_data["proportion_bands"][0]["upper_inclusive"] = True
    result = framework_load(path=write_framework(qif_data), actor=None)
    assert ("inspection statement", "inspection statement 4") in result.retired
    assert ("proportion band", "proportion word 'all'") in result.retired
    assert InspectionStatement.objects.filter(number=4, retired=True).exists()
    assert proportion_word(31, 31, selectors.bands_for(qif.framework)) == "almost all"


def test_a_second_framework_loads_beside_the_first(
    qif: LoadResult, qif_data: dict[str, Any], write_framework: Callable[..., Path]
) -> None:
    qif_data.update(
        slug="qif-2019-test", title="A test copy", is_default=False, scale_vocabulary="es"
    )
    result = framework_load(path=write_framework(qif_data, "copy.yaml"), actor=None)
    assert result.framework_created
    assert Framework.objects.count() == 2
    assert QualityIndicator.objects.count() == 44
    assert selectors.default_framework() == qif.framework

    # A file that claims the default takes it over.
    qif_data["is_default"] = True
    result = framework_load(path=write_framework(qif_data, "copy.yaml"), actor=None)
    assert result.default_taken_from == "qif-2019"
    assert "  qif-2019-test is now the default framework instead of qif-2019." in (
        result.summary_lines()
    )
    assert list(Framework.objects.filter(is_default=True).values_list("slug", flat=True)) == [
        "qif-2019-test"
    ]


# --- Bad files --------------------------------------------------------------------------


def errors_for(data: dict[str, Any] | str, write_framework: Callable[..., Path]) -> list[str]:
    with pytest.raises(FrameworkFileError) as info:
        framework_load(path=write_framework(data), actor=None)
    assert not Framework.objects.exists(), "a bad file must load nothing"
    return info.value.errors


def test_bad_indicator_number(
    qif_data: dict[str, Any], write_framework: Callable[..., Path]
) -> None:
    qif_data["quality_indicators"][3]["number"] = "four"
    assert errors_for(qif_data, write_framework) == [
        "qif-2019.yaml: quality_indicators[3].number: expected a number like 2.1, got 'four'"
    ]


def test_unquoted_indicator_number(write_framework: Callable[..., Path], db: None) -> None:
    text = QIF_PATH.read_text(encoding="utf-8").replace('number: "9.4"', "number: 9.4")
    [error] = errors_for(text, write_framework)
    assert error.startswith(
        "qif-2019.yaml: quality_indicators[20].number: expected a number like 2.1 in quotes"
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["quality_indicators"][0].update(illustation_weak="x"),
            "qif-2019.yaml: quality_indicators[0].illustation_weak: unknown key",
        ),
        (
            lambda d: d["quality_indicators"][1].pop("title"),
            "qif-2019.yaml: quality_indicators[1].title: missing",
        ),
        (
            lambda d: d["quality_indicators"][1].update(status="verified"),
            "qif-2019.yaml: quality_indicators[1].status: expected V (verified), P (partly",
        ),
        (
            lambda d: d["quality_indicators"].append(dict(d["quality_indicators"][0])),
            "qif-2019.yaml: quality_indicators[22]: number 1.1 is already used by "
            "quality_indicators[0]",
        ),
        (
            lambda d: d["quality_indicators"][0].update(number="11.1"),
            "qif-2019.yaml: quality_indicators[0].number: indicator 11.1 belongs to area 11, "
            "which is not in areas",
        ),
        (
            lambda d: d["areas"][0].update(key_question=9),
            "qif-2019.yaml: areas[0].key_question: there is no key question 9 in key_questions",
        ),
        (
            lambda d: d.update(scale=d["scale"][:5]),
            "qif-2019.yaml: scale: expected all six levels, 1 to 6; missing 1",
        ),
        (
            lambda d: d["scale"][0].update(level=7),
            "qif-2019.yaml: scale[0].level: expected a whole number from 1 to 6, got 7",
        ),
        (
            lambda d: d.update(version=2019),
            "qif-2019.yaml: version: expected text, got 2019 (put it in quotes)",
        ),
        (
            lambda d: d.update(slug="QIF 2019"),
            "qif-2019.yaml: slug: expected lower-case letters, digits and hyphens",
        ),
        (
            lambda d: d.update(scale_vocabulary="satisfactory"),
            "qif-2019.yaml: scale_vocabulary: expected one of ci, es, got 'satisfactory'",
        ),
        (
            lambda d: d["proportion_bands"][3].update(upper=74),
            "qif-2019.yaml: proportion_bands: Gap between 'the majority' and 'most' at 74%",
        ),
        (
            lambda d: d["proportion_bands"][3].update(upper_inclusive=True),
            "qif-2019.yaml: proportion_bands: Bands 'the majority' and 'most' overlap at 75%",
        ),
        (
            lambda d: d["proportion_bands"][2].update(lower=120),
            "qif-2019.yaml: proportion_bands[2].lower: expected a percentage from 0 to 100",
        ),
        (
            lambda d: d["quality_indicators"][0].update(themes="one theme"),
            "qif-2019.yaml: quality_indicators[0].themes: expected a list of text, got 'one theme'",
        ),
        (
            lambda d: d.update(key_questions=[]),
            "qif-2019.yaml: key_questions: must not be empty",
        ),
    ],
)
def test_bad_files_give_clear_errors(
    qif_data: dict[str, Any],
    write_framework: Callable[..., Path],
    change: Callable[[dict[str, Any]], Any],
    expected: str,
    db: None,
) -> None:
    change(qif_data)
    errors = errors_for(qif_data, write_framework)
    assert any(e.startswith(expected) for e in errors), errors


def test_every_problem_is_listed_at_once(
    qif_data: dict[str, Any], write_framework: Callable[..., Path], db: None
) -> None:
    qif_data["quality_indicators"][3]["number"] = "four"
    qif_data["scale"][0]["word_ci"] = ""
    qif_data["inspection_statements"][1]["status"] = "X"
    errors = errors_for(qif_data, write_framework)
    assert len(errors) == 3
    assert "qif-2019.yaml: scale[0].word_ci: must not be empty" in errors


def test_not_yaml_and_duplicate_keys(write_framework: Callable[..., Path], db: None) -> None:
    [error] = errors_for("slug: [unclosed\n", write_framework)
    assert error.startswith("qif-2019.yaml: line ") and "not valid YAML" in error
    [error] = errors_for("slug: a\nslug: b\n", write_framework)
    assert "found the key 'slug' twice" in error
    [error] = errors_for("- just a list\n", write_framework)
    assert error == "qif-2019.yaml: expected a mapping of keys and values, got a list"


def test_missing_file(tmp_path: Path, db: None) -> None:
    with pytest.raises(FrameworkFileError) as info:
        read_framework_file(tmp_path / "absent.yaml")
    assert info.value.errors[0].startswith("absent.yaml: could not read the file")


def test_a_bad_reload_changes_nothing(
    qif: LoadResult, qif_data: dict[str, Any], write_framework: Callable[..., Path]
) -> None:
    before = snapshot()
    qif_data["quality_indicators"][0]["title"] = "A new title"
    qif_data["quality_indicators"][5]["number"] = "x"
    with pytest.raises(FrameworkFileError):
        framework_load(path=write_framework(qif_data), actor=None)
    assert snapshot() == before


# --- The command ------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_framework", *args, stdout=out)
    return out.getvalue()


def test_command_loads_every_file_then_says_nothing_changed(db: None) -> None:
    first = run()
    assert "qif-2019.yaml: Created framework qif-2019" in first
    assert "Created 6 key questions, 10 areas, 22 quality indicators, 6 scale levels, " in first
    assert QualityIndicator.objects.count() == 22
    assert run() == "qif-2019.yaml: no changes; qif-2019 is up to date.\n"


def test_command_reports_updates_and_retirements(
    qif: LoadResult, qif_data: dict[str, Any], write_framework: Callable[..., Path]
) -> None:
    qif_data["quality_indicators"][0]["title"] = "Improvements in children's lives"
    qif_data["quality_indicators"] = qif_data["quality_indicators"][:-1]
    out = run(str(write_framework(qif_data)))
    assert "  Updated QI 1.1: title." in out
    assert "  Retired QI 10.1 (no longer in the file; kept for existing links)." in out


def test_command_with_a_bad_file_loads_nothing(
    qif_data: dict[str, Any], write_framework: Callable[..., Path], tmp_path: Path, db: None
) -> None:
    good = write_framework(copy.deepcopy(qif_data), "good.yaml")
    qif_data["slug"] = "other"
    qif_data["quality_indicators"][3]["number"] = "four"
    bad = write_framework(qif_data, "bad.yaml")
    with pytest.raises(CommandError) as info:
        run(str(good), str(bad))
    assert "Nothing was loaded" in str(info.value)
    assert "bad.yaml: quality_indicators[3].number: expected a number like 2.1" in str(info.value)
    assert not Framework.objects.exists()


def test_command_refuses_two_files_with_one_slug(
    qif_data: dict[str, Any], write_framework: Callable[..., Path], db: None
) -> None:
    a = write_framework(qif_data, "a.yaml")
    b = write_framework(qif_data, "b.yaml")
    with pytest.raises(CommandError, match=r"b\.yaml: slug: qif-2019 is also the slug of a\.yaml"):
        run(str(a), str(b))


def test_command_check_and_dry_run_change_nothing(db: None) -> None:
    assert run("--check") == "Checked 1 file(s): no problems found.\n"
    out = run("--dry-run")
    assert "Created framework qif-2019" in out and "Dry run: nothing was saved." in out
    assert not Framework.objects.exists()
    assert not AuditEvent.objects.exists()


# --- Database rules ---------------------------------------------------------------------


def test_database_constraints(qif: LoadResult) -> None:
    fw = qif.framework
    area = Area.objects.get(framework=fw, number=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScaleLevel.objects.create(
            framework=fw, level=7, word_ci="x", word_es="x", meaning="x", source="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        QualityIndicator.objects.create(framework=fw, area=area, number="2", title="x", source="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        QualityIndicator.objects.create(
            framework=fw, area=area, number="2.1", title="again", source="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.create(
            slug="second-default",
            title="x",
            version="1",
            publisher="x",
            source="x",
            is_default=True,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProportionBand.objects.create(framework=fw, word="odd", lower=60, upper=40, source="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyQuestion.objects.create(
            framework=fw, number=7, title="x", domain="x", source="x", status="Z"
        )


def test_natural_keys_and_audit_labels(qif: LoadResult) -> None:
    indicator = qi("5.3")
    assert indicator.natural_key() == ("qif-2019", "5.3")
    assert QualityIndicator.objects.get_by_natural_key("qif-2019", "5.3") == indicator
    assert InspectionStatement.objects.get_by_natural_key("qif-2019", 2).number == 2
    assert ScaleLevel.objects.get_by_natural_key("qif-2019", 3).word_ci == "Adequate"
    assert ProportionBand.objects.get_by_natural_key("qif-2019", "most").upper == 90
    assert Framework.objects.get_by_natural_key("qif-2019") == qif.framework
    assert indicator.audit_label() == "QI 5.3"
    assert qif.framework.audit_label().startswith("Quality framework for children")
    for model in ALL_MODELS:
        obj = model.objects.first()
        assert obj is not None and obj.audit_label()


def test_deleting_a_framework_removes_its_rows(qif: LoadResult) -> None:
    qif.framework.delete()
    for model in ALL_MODELS:
        assert not model.objects.exists(), model.__name__


def test_a_comment_only_edit_is_not_a_change(
    qif: LoadResult, write_framework: Callable[..., Path]
) -> None:
    text = "# A new comment at the top.\n" + QIF_PATH.read_text(encoding="utf-8")
    events = AuditEvent.objects.count()
    result = framework_load(path=write_framework(text), actor=None)
    assert not result.changed
    assert AuditEvent.objects.count() == events
    fw = Framework.objects.get(slug="qif-2019")
    assert fw.file_hash != qif.framework.file_hash  # but the file's fingerprint is kept up to date


def test_a_moved_band_bound_is_reported_as_the_number_people_read(
    qif: LoadResult, qif_data: dict[str, Any], write_framework: Callable[..., Path]
) -> None:
    qif_data["proportion_bands"][1]["lower"] = 89.5
    qif_data["proportion_bands"][2]["upper"] = 89.5
    result = framework_load(path=write_framework(qif_data), actor=None)
    assert result.updated["proportion word 'almost all'"] == {"lower": ["90", "89.5"]}
    assert result.updated["proportion word 'most'"] == {"upper": ["90", "89.5"]}
    assert "  Updated proportion word 'almost all': lower." in result.summary_lines()
