"""Framework pages: anyone signed in reads them, anonymous people are sent to sign in,
unknown slugs and numbers are 404s, and the query count does not grow with the data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from howgood.frameworks.models import QualityIndicator
from howgood.frameworks.services import LoadResult, framework_load
from tests.pagetext import page_text

pytestmark = pytest.mark.django_db

INDEX = reverse("frameworks:index")
DETAIL = reverse("frameworks:detail", args=["qif-2019"])
QI_21 = reverse("frameworks:indicator", args=["qif-2019", "2.1"])
QI_64 = reverse("frameworks:indicator", args=["qif-2019", "6.4"])


def test_urls() -> None:
    assert INDEX == "/framework/"
    assert DETAIL == "/framework/qif-2019/"
    assert QI_21 == "/framework/qif-2019/indicators/2.1/"


@pytest.mark.parametrize("url", [INDEX, DETAIL, QI_21])
def test_anonymous_people_are_sent_to_sign_in(client: Any, qif: LoadResult, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("url", [INDEX, DETAIL, QI_21])
def test_pages_are_read_only(signed_in: Any, qif: LoadResult, url: str) -> None:
    assert signed_in.post(url).status_code == 405


def test_index_lists_the_framework(signed_in: Any, qif: LoadResult) -> None:
    response = signed_in.get(INDEX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Quality framework for children and young people in need of care and protection" in body
    assert DETAIL in body
    assert "2019 (revised)" in body


def test_index_with_nothing_loaded(signed_in: Any) -> None:
    response = signed_in.get(INDEX)
    assert response.status_code == 200
    assert "No framework has been loaded yet" in response.content.decode()


def test_detail_shows_questions_indicators_scale_statements_and_bands(
    signed_in: Any, qif: LoadResult
) -> None:
    response = signed_in.get(DETAIL)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('href="/framework/qif-2019/indicators/') == 22
    assert "Key question 6: What is our capacity for improvement?" in body
    assert "2.1 Impact on children and young people" in body
    # Both vocabularies of the scale.
    assert "Adequate" in body and "Satisfactory" in body
    # The four statements and the bands.
    assert 'data-testid="statements"' in body
    assert (
        body.count("Children and young people are safer because risks have been identified early")
        == 1
    )
    assert "the majority of records (18 of 31)" in body
    assert "50% to under 75%" in body
    # Unverified facts are tagged, with the hint to check the published framework.
    assert ">Unverified</span>" in body
    assert "check it against the published framework" in body
    assert 'style="' not in body and "<script>" not in body


def test_indicator_page(signed_in: Any, qif: LoadResult) -> None:
    response = signed_in.get(QI_21)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Impact on children and young people" in body
    assert "Very good (level 5)" in body and "Weak (level 2)" in body
    assert body.count("Not yet transcribed") >= 3  # themes and both illustrations
    assert "not the Care Inspectorate's words" in body
    assert 'data-testid="unverified-note"' not in body  # 2.1 is verified
    assert "/framework/qif-2019/indicators/1.1/" in body  # previous
    assert "/framework/qif-2019/indicators/2.2/" in body  # next


def test_partly_verified_indicator_says_so(signed_in: Any, qif: LoadResult) -> None:
    body = signed_in.get(QI_64).content.decode()
    assert 'data-testid="unverified-note"' in body
    assert ">Partly verified</span>" in body


def test_retired_indicator_still_opens(signed_in: Any, qif: LoadResult) -> None:
    QualityIndicator.objects.filter(number="8.2").update(retired=True)
    response = signed_in.get(reverse("frameworks:indicator", args=["qif-2019", "8.2"]))
    assert response.status_code == 200
    assert "no longer in the framework" in response.content.decode()
    assert "/indicators/8.2/" not in signed_in.get(DETAIL).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/framework/no-such-framework/",
        "/framework/no-such-framework/indicators/2.1/",
        "/framework/qif-2019/indicators/99.9/",
        "/framework/qif-2019/indicators/two/",
    ],
)
def test_unknown_slug_or_number_is_404(signed_in: Any, qif: LoadResult, url: str) -> None:
    assert signed_in.get(url).status_code == 404


def test_query_counts_do_not_grow_with_indicators(
    signed_in: Any,
    qif: LoadResult,
    qif_data: dict[str, Any],
    write_framework: Callable[..., Path],
    django_assert_num_queries: Any,
) -> None:
    # The same queries with 22 indicators in one framework as with 42 in each of two.
    queries = {DETAIL: 14, QI_21: 11, INDEX: 7}

    def pages() -> dict[str, str]:
        shown = {}
        for url, count in queries.items():
            with django_assert_num_queries(count):
                response = signed_in.get(url)
            assert response.status_code == 200
            shown[url] = page_text(response)
        return shown

    before = pages()
    assert "| 6 key questions and 22 quality indicators." in before[DETAIL]
    assert "| Quality indicator 2.1 | Impact on children and young people |" in before[QI_21]
    assert before[INDEX].endswith("| 2019 (revised) | Care Inspectorate | 22 | Yes")

    # Twenty more indicators in area 5, and a second framework.
    for n in range(5, 25):
        qif_data["quality_indicators"].append(
            {"number": f"5.{n}", "title": f"Extra {n}", "status": "U", "source": "test"}
        )
    framework_load(path=write_framework(qif_data), actor=None)
    qif_data.update(slug="another", is_default=False)
    framework_load(path=write_framework(qif_data, "another.yaml"), actor=None)

    assert (
        signed_in.get(DETAIL).content.decode().count('href="/framework/qif-2019/indicators/') == 42
    )
    after = pages()
    assert "| 6 key questions and 42 quality indicators." in after[DETAIL]
    assert "| 5.24 Extra 24 |" in after[DETAIL]
    assert "| Quality indicator 2.1 | Impact on children and young people |" in after[QI_21]
    assert after[INDEX].count("| 2019 (revised) | Care Inspectorate | 42 |") == 2
    assert after[INDEX].endswith("| Care Inspectorate | 42 | Yes")
