"""The answer charts on the analysis page: the toolkit's drawing, the one the survey reports
print, shown as an image with its text alternative, and never a hidden number drawn."""

from __future__ import annotations

import gzip
import html
import re

from django.core.cache import cache
from django.urls import reverse

from howgood.partnerships.models import Agency
from howgood.surveys.analysis import analyse
from tests.surveys.test_analysis import close, respond, survey  # noqa: F401


def _figure(page: str, chart_id: str) -> str:
    return page.split(f'aria-labelledby="{chart_id}-caption"')[1].split("</figure>")[0]


def _svg_text(client, figure: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Each piece of text drawn in the figure's chart, fetched as the browser fetches it
    (its SVG keeps text as text)."""
    assert "<rect" not in figure and "<svg" not in figure  # no hand-built bars beside it
    src = html.unescape(re.search(r'<img[^>]* src="([^"]+)"', figure)[1])  # type: ignore[index]
    image = client.get(src)
    assert image.status_code == 200 and image["Content-Type"] == "image/svg+xml"
    svg = b"".join(image.streaming_content) if image.streaming else image.content
    if image.get("Content-Encoding") == "gzip":
        svg = gzip.decompress(svg)
    return [
        html.unescape(t).strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode())
    ]


def test_the_page_shows_the_reports_chart_and_never_draws_a_hidden_number(
    cast,
    survey,  # noqa: F811 (the fixture imported above)
    client_for,
) -> None:  # type: ignore[no-untyped-def]
    cache.clear()
    reporter = Agency.objects.create(
        partnership=cast.a, name="A Children's Reporter", type="reporter", headcount=10
    )
    survey.audience.add(reporter)
    for agency, answers in (
        (reporter, ["agree"] * 8),
        (cast.health, ["agree"] * 17 + ["neither"] * 2 + ["disagree"]),
        (cast.social_work, ["agree"] * 5 + ["neither"] * 5 + ["disagree"] * 5),
        (cast.police, ["agree"] * 5 + ["neither"] * 5 + ["disagree"] * 5),
    ):
        for answer in answers:
            respond(survey, agency, answer, "agree")
    close(cast, survey)
    confident = next(q for q in analyse(survey).questions if q.item.name == "confident_risk")
    assert confident.breakdown("agency").rows == [
        [None, None, None],
        [None, None, None],
        [13, 5, 5],
    ]

    viewer = client_for("viewer")
    page = viewer.get(reverse("surveys:analysis", args=[survey.pk])).content.decode()

    everyone = _figure(page, "chart-confident_risk")
    assert "Share of each answer, all respondents" in everyone  # the caption, as before
    alt = html.unescape(re.search(r'alt="([^"]+)"', everyone)[1])  # type: ignore[index]
    assert alt == (
        "Chart: I am confident in recognising when a child may be at risk of harm: all "
        "respondents. The numbers are in the table below."
    )
    words = _svg_text(viewer, everyone)
    assert "I am confident in recognising when a child may be at risk of harm: all" in " ".join(
        words
    )
    assert "Strongly agree" in words and "n = 58" in " ".join(words)
    assert "60%" in words  # 35 of 58 agreed

    by_agency = _figure(page, "chart-confident_risk-agency")
    assert "Share of each answer by agency" in by_agency
    words = _svg_text(viewer, by_agency)
    assert "answers by agency" in " ".join(words)
    # Health's hidden answers (17, 2 and 1 of 20) are one grey block, never a share each.
    assert "Hidden (small numbers)" in words
    assert "85%" not in words and "10%" not in words and "5%" not in words
    assert not any("uppressed" in w for w in words)  # the page's word for it is "hidden"
    # The group shown in full is drawn with its shares (13, 5 and 5 of 23).
    assert "57%" in words and "22%" in words


def test_a_row_whose_hidden_numbers_fall_apart_is_not_drawn_and_says_so(db) -> None:  # type: ignore[no-untyped-def]
    from howgood.surveys.charts import answer_chart, chart_svg

    cache.clear()
    rows = [("A Health", [None, 9, None], 18), ("A Police", [14, 26, 33], 73), ("B", [0, 0, 0], 0)]
    options = [("agree", "Agree"), ("neither", "Neither"), ("disagree", "Disagree")]
    chart = answer_chart(
        survey_pk=1, title="Question: answers by agency", rows=rows, options=options
    )
    assert chart.not_drawn == [
        ("A Health", "hidden numbers fall apart on the scale"),
        ("B", "no answers"),
    ]
    svg = chart_svg(chart).decode()
    assert "Not shown: some counts hidden" in svg and "No answers" in svg
    assert "50%" not in svg  # 9 of 18 is never drawn
    # The key is made of the survey and everything drawn: another survey's chart of the
    # same figures is another key; the same chart again is the same key, drawn once.
    assert answer_chart(survey_pk=2, title=chart.title, rows=rows, options=options).key != chart.key
    again = answer_chart(survey_pk=1, title=chart.title, rows=rows, options=options)
    assert again == chart and chart_svg(again).decode() == svg


def test_a_chart_image_is_only_one_the_page_shows(cast, survey, client_for) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    for _ in range(12):
        respond(survey, cast.social_work, "agree", "agree")
    viewer = client_for("viewer")
    url = reverse("surveys:analysis_chart", args=[survey.pk, "0" * 32])
    assert viewer.get(url).status_code == 404  # still open: no results, no charts
    close(cast, survey)
    page = viewer.get(reverse("surveys:analysis", args=[survey.pk])).content.decode()
    key = re.search(r"/analysis/charts/([0-9a-f]{32})\.svg", page)[1]  # type: ignore[index]
    assert viewer.get(reverse("surveys:analysis_chart", args=[survey.pk, key])).status_code == 200
    assert viewer.get(url).status_code == 404
