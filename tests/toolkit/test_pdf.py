"""PDFs: real PDF bytes, several pages for long content, the text where it belongs,
and WeasyPrint never reaching the network."""

from __future__ import annotations

import datetime as dt
import io
import socket
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from howgood.toolkit.charts.bars import bar_chart
from howgood.toolkit.pdf import (
    LocalOnlyURLFetcher,
    RefusedURL,
    default_base_url,
    pdf_document,
    render_pdf,
    static_root,
)

TEMPLATE_DIR = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def test_templates():
    engine = {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATE_DIR]}
    with override_settings(TEMPLATES=[engine]):
        yield


@pytest.fixture
def no_network(monkeypatch):
    """Record (and refuse) any attempt to open a network connection."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def context(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Record reading findings",
        "subtitle": "Autumn 2026",
        "partnership": "Anytown Partnership",
        "date": dt.date(2026, 10, 9),
        "paragraphs": [f"Paragraph {i}: the majority of records (18 of 31)." for i in range(40)],
        "note": "Figures below 5 are suppressed.",
        "header": ["Reading ID", "Agency", "Score"],
        "rows": [[f"R-{i:03d}", "Social work", i] for i in range(1, 80)],
        "numeric": [2],
        **extra,
    }


def pdf_text(pdf: bytes) -> list[str]:
    pypdf = pytest.importorskip("pypdf")
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_long_report_is_a_pdf_of_several_pages_with_its_text(no_network) -> None:
    chart = bar_chart(
        title="Records read by agency",
        categories=["Social work", "Health"],
        series={"Records": [31, None]},
        value_label="Number of records",
    )
    pdf = render_pdf("toolkit_test/long.html", context(chart=chart))
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    pypdf = pytest.importorskip("pypdf")
    catalogue = pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in catalogue  # tagged for screen readers
    assert catalogue["/Lang"] == "en-GB"
    pages = pdf_text(pdf)
    assert len(pages) > 2
    cover, first, last = pages[0], pages[1], pages[-1]
    assert "Anytown Partnership" in cover
    assert "Record reading findings" in cover
    assert "9 October 2026" in cover
    assert "OFFICIAL-SENSITIVE" in cover
    assert "Page 1 of" not in cover  # no footer on the cover
    assert "Summary" in first and f"Page 2 of {len(pages)}" in first
    assert f"Page {len(pages)} of {len(pages)}" in last
    assert all("OFFICIAL-SENSITIVE" in page for page in pages)
    everything = "\n".join(pages)
    for expected in [
        "Figure 1: Records read by agency",
        "Data for figure 1",
        "suppressed",
        "R-079",
    ]:
        assert expected in everything
    assert no_network == []


def test_page_count_without_pypdf() -> None:
    short = pdf_document("toolkit_test/long.html", context(paragraphs=[], rows=[]))
    long = pdf_document("toolkit_test/long.html", context())
    assert len(short.pages) == 2  # cover and one page of content
    assert len(long.pages) > len(short.pages)


def test_marking_defaults_to_official_sensitive_and_can_be_removed() -> None:
    default = pdf_text(render_pdf("toolkit_test/long.html", context(rows=[], paragraphs=[])))
    assert "OFFICIAL-SENSITIVE" in default[1]
    none = pdf_text(
        render_pdf("toolkit_test/long.html", context(rows=[], paragraphs=[], marking=""))
    )
    assert "OFFICIAL-SENSITIVE" not in "".join(none)


def test_context_is_escaped() -> None:
    pages = pdf_text(
        render_pdf(
            "toolkit_test/long.html", context(title="<b>Bold</b> & co", rows=[], paragraphs=[])
        )
    )
    assert "<b>Bold</b> & co" in pages[0]


def test_outside_resources_are_refused_and_never_fetched(no_network, caplog) -> None:
    pdf = render_pdf(
        "toolkit_test/long.html",
        context(image_url="http://example.com/tracker.png", rows=[], paragraphs=[]),
    )
    assert pdf.startswith(b"%PDF-")
    assert no_network == []
    assert any("example.com" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a.png",
        "https://example.com/a.css",
        "ftp://example.com/a.css",
        "file:///etc/passwd",
        "file://example.com/static/css/print.css",
        default_base_url() + "../config/settings.py",
        default_base_url() + "css/does-not-exist.css",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_anything_but_data_and_static_files(url: str, no_network) -> None:
    with pytest.raises(RefusedURL):
        LocalOnlyURLFetcher()(url)
    assert no_network == []


def test_fetcher_refuses_symlinks_out_of_static(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    (root / "link.css").symlink_to(secret)
    with pytest.raises(RefusedURL):
        LocalOnlyURLFetcher(root)((root / "link.css").as_uri())


def test_fetcher_serves_data_uris_and_static_files() -> None:
    fetcher = LocalOnlyURLFetcher()
    data = fetcher("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"
    css = fetcher(default_base_url() + "css/print.css")
    assert css.read() == (static_root() / "css" / "print.css").read_bytes()
    assert css.content_type == "text/css"
