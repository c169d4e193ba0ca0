"""Figures and facts people can trust (issue #11, item 8): the inspection statements'
wording and where it comes from, what the "Verified" tag means on an indicator, and no raw
source lines on the pages."""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse

from howgood.core.models import AuditEvent
from howgood.frameworks.models import InspectionStatement, QualityIndicator
from howgood.frameworks.schema import FrameworkFileError
from howgood.frameworks.services import LoadResult, framework_load

pytestmark = pytest.mark.django_db

DETAIL = reverse("frameworks:detail", args=["qif-2019"])
QI_21 = reverse("frameworks:indicator", args=["qif-2019", "2.1"])

STATEMENT_3 = (
    "Children and young people and families are meaningfully and appropriately involved in "
    "decisions about their lives. They influence service planning, delivery and improvement."
)
QUOTED = "Quoted from a secondary source: the joint inspection remit"


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _page(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content.decode())


def _tags(tree: Any) -> list[str]:
    """The words of every design-system tag on the page."""
    return [_text(t) for t in tree.xpath('//span[contains(concat(" ", @class, " "), " ds_tag ")]')]


# The inspection statements ------------------------------------------------------------


def test_statement_3_reads_as_quoted_from_the_remit(signed_in: Any, qif: LoadResult) -> None:
    tree = _page(signed_in, DETAIL)
    rows = tree.xpath('//table[@data-testid="statements"]/tbody/tr')
    assert len(rows) == 4
    row_3 = [_text(td) for td in rows[2].xpath("./td")]
    assert row_3[0] == "3"
    assert row_3[2] == STATEMENT_3
    assert InspectionStatement.objects.get(number=3).text == STATEMENT_3


def test_every_statement_says_it_is_quoted_from_a_secondary_source(
    signed_in: Any, qif: LoadResult
) -> None:
    tree = _page(signed_in, DETAIL)
    headers = [_text(th) for th in tree.xpath('//table[@data-testid="statements"]/thead//th')]
    assert headers == ["Number", "Short name (HowGood's)", "Statement", "Source", "Status"]
    rows = tree.xpath('//table[@data-testid="statements"]/tbody/tr')
    for number, row in enumerate(rows, start=1):
        cells = [_text(td) for td in row.xpath("./td")]
        assert cells[0] == str(number)
        assert cells[3].startswith(QUOTED + "."), cells[3]
        assert cells[4] == "Partly verified"
    assert set(InspectionStatement.objects.values_list("status", flat=True)) == {"P"}


def test_statement_sources_are_plain_words_in_the_data_file(qif: LoadResult) -> None:
    for statement in InspectionStatement.objects.all():
        assert statement.source_note.startswith(QUOTED)
        assert "remit" in statement.source  # the raw line stays in the file


# What "Verified" means on an indicator ---------------------------------------------------


def test_indicator_with_empty_themes_is_not_tagged_verified(
    signed_in: Any, qif: LoadResult
) -> None:
    qi = QualityIndicator.objects.get(number="2.1")
    assert qi.status == "V" and qi.themes == [] and qi.illustration_very_good == ""
    tree = _page(signed_in, QI_21)
    assert "Verified" not in _tags(tree)
    assert _tags(tree) == ["Title verified"]
    summary = _text(tree.xpath('//*[@data-testid="verification"]')[0])
    assert "Verified: the number and title" in summary
    assert (
        "Not verified: the themes and the very good and weak illustrations, which HowGood "
        "does not hold yet" in summary
    )


def test_framework_page_does_not_tag_indicators_without_content_as_verified(
    signed_in: Any, qif: LoadResult
) -> None:
    tree = _page(signed_in, DETAIL)
    tags_by_qi: dict[str, str] = {}
    for table in tree.xpath('//table[starts-with(@data-testid, "key-question-")]'):
        for row in table.xpath("./tbody/tr"):
            cells = row.xpath("./td")
            number = _text(cells[1]).split(" ")[0]
            tags_by_qi[number] = _text(cells[2])
    assert len(tags_by_qi) == 22
    assert {n for n, tag in tags_by_qi.items() if tag == "Title verified"} == {
        "2.1",
        "5.3",
        "5.4",
        "9.2",
    }
    assert "Verified" not in tags_by_qi.values()
    assert tags_by_qi["6.4"] == "Partly verified"
    assert tags_by_qi["1.1"] == "Unverified"


def _with_verified_content(qif_data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(qif_data)
    qi = next(q for q in data["quality_indicators"] if q["number"] == "2.1")
    qi.update(
        themes=["Test theme one", "Test theme two"],
        illustration_very_good="Test text for very good.",
        illustration_weak="Test text for weak.",
        content_status="V",
    )
    return data


def test_fully_verified_indicator_is_still_tagged_verified(
    signed_in: Any,
    qif: LoadResult,
    qif_data: dict[str, Any],
    write_framework: Callable[..., Path],
) -> None:
    framework_load(path=write_framework(_with_verified_content(qif_data)), actor=None)
    tree = _page(signed_in, QI_21)
    assert _tags(tree) == ["Verified"]
    summary = _text(tree.xpath('//*[@data-testid="verification"]')[0])
    assert "Verified: the number, the title, the themes and both illustrations" in summary
    assert [_text(li) for li in tree.xpath('//ul[@data-testid="themes"]/li')] == [
        "Test theme one",
        "Test theme two",
    ]
    tags = {
        _text(row.xpath("./td")[1]).split(" ")[0]: _text(row.xpath("./td")[2])
        for row in _page(signed_in, DETAIL).xpath('//table[@data-testid="key-question-2"]/tbody/tr')
    }
    assert tags["2.1"] == "Verified"


def test_content_marked_verified_must_be_there(
    qif_data: dict[str, Any], write_framework: Callable[..., Path], db: None
) -> None:
    qi = next(q for q in qif_data["quality_indicators"] if q["number"] == "5.3")
    qi.update(themes=["Only a theme"], content_status="V")
    with pytest.raises(FrameworkFileError) as error:
        framework_load(path=write_framework(qif_data), actor=None)
    assert error.value.errors == [
        "qif-2019.yaml: quality_indicators[7].content_status: V (verified) needs the themes "
        "and both illustrations; illustration_very_good and illustration_weak are empty"
    ]


# No raw source lines on the pages ----------------------------------------------------------

RAW = re.compile(r"\[[VPU]\]|archived-updates|DOMAIN\.md|5214|5151|5217")


def test_no_raw_source_lines_on_any_framework_page(signed_in: Any, qif: LoadResult) -> None:
    urls = [reverse("frameworks:index"), DETAIL] + [
        reverse("frameworks:indicator", args=["qif-2019", qi.number])
        for qi in QualityIndicator.objects.all()
    ]
    assert len(urls) == 24
    for url in urls:
        body = signed_in.get(url).content.decode()
        assert RAW.findall(body) == [], url
    # The raw lines are still in the database and the file, for whoever corrects it.
    assert "archived-updates-5/8248" in QualityIndicator.objects.get(number="2.1").source


def test_indicator_page_gives_its_source_in_plain_words(signed_in: Any, qif: LoadResult) -> None:
    tree = _page(signed_in, QI_21)
    source = tree.xpath('//dt[normalize-space()="Source"]/following-sibling::dd')[0]
    assert _text(source) == (
        "The Care Inspectorate's web page “What will we look at on inspection”, for its "
        "inspections of compulsory supervision orders at home."
    )
    tree = _page(signed_in, reverse("frameworks:indicator", args=["qif-2019", "1.1"]))
    source = tree.xpath('//dt[normalize-space()="Source"]/following-sibling::dd')[0]
    assert _text(source).startswith("HowGood's reconstruction from the Care Inspectorate's")


# An existing database gets the fix by reloading -------------------------------------------


def test_reloading_fixes_an_existing_database_in_place_once(
    qif_data: dict[str, Any], write_framework: Callable[..., Path], db: None
) -> None:
    old = copy.deepcopy(qif_data)
    for st in old["inspection_statements"]:
        st["status"] = "U"
        st.pop("source_note", None)
    old["inspection_statements"][2]["text"] = (
        "Children, young people and families are meaningfully and appropriately involved in "
        "decisions about their lives; they influence service planning, delivery and improvement."
    )
    framework_load(path=write_framework(old), actor=None)
    before = InspectionStatement.objects.get(number=3)

    call_command("load_framework", stdout=(out := io.StringIO()))
    after = InspectionStatement.objects.get(number=3)
    assert after.pk == before.pk
    assert after.text == STATEMENT_3
    assert after.status == "P"
    assert "Updated inspection statement 3: text, status, source_note." in out.getvalue()
    event = AuditEvent.objects.filter(action="frameworks.framework.loaded").first()
    assert event is not None
    assert event.data["updated"]["inspection statement 3"]["text"][1] == STATEMENT_3

    call_command("load_framework", stdout=(again := io.StringIO()))
    assert "qif-2019.yaml: no changes; qif-2019 is up to date." in again.getvalue()
