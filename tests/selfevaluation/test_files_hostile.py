"""The evidence library against hostile files: zip bombs, scripts in PDFs however they are
written, Office files that fetch a remote template or carry an embedded object. Each is
refused with a plain reason before anything is stored, and the form keeps what was typed."""

from __future__ import annotations

import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from howgood.selfevaluation import files
from howgood.selfevaluation.files import check_upload
from howgood.selfevaluation.models import Document
from tests.core.hostile import (
    HOSTILE_PDF_ACTIONS,
    REAL,
    docx_with_remote_template,
    locked_pdf,
    lying_sizes,
    office_bomb,
    pdf_file,
    pdf_with_action,
    plain_pdf,
    real_docx,
    report_pdf,
    with_external_link,
    with_ole_object,
)

SCRIPTS = "The PDF contains scripts or actions that run programs, so HowGood does not accept it."
REMOTE = (
    "The file fetches something from another computer when it is opened (a remote template "
    "or linked content), so HowGood does not accept it. Remove the link and upload it again."
)
OLE = (
    "The file contains an embedded or linked object (such as an OLE object or ActiveX "
    "control), which can run a program, so HowGood does not accept it. Remove the object, "
    "or paste it as a picture, and upload it again."
)


def refused(name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as refusal:
        check_upload(name, data)
    return " ".join(refusal.value.messages)


def test_ordinary_files_are_still_accepted() -> None:
    for kind, build in REAL.items():
        assert check_upload(f"evidence.{kind}", build()).size > 0
    assert check_upload("minutes.pdf", plain_pdf()).content_type == "application/pdf"
    assert check_upload("report.pdf", report_pdf()).content_type == "application/pdf"
    # Protected against changes only (anyone may open it): read and checked like any other.
    assert check_upload("signed.pdf", locked_pdf("")).content_type == "application/pdf"
    # Words that merely mention scripts are not scripts: the PDF is read, not searched.
    mentions = plain_pdf(info=b"<< /Title (How /JavaScript and /Launch actions work) >>")
    assert check_upload("guidance.pdf", mentions).content_type == "application/pdf"
    # A Word chart's embedded workbook and a hyperlink to a web page are ordinary.
    linked = with_external_link("docx", "hyperlink", "https://www.gov.scot/")
    assert check_upload("linked.docx", linked).size == len(linked)


def test_a_zip_bomb_is_refused_streaming_without_unpacking_it() -> None:
    """The issue's bomb: [Content_Types].xml padded so that 30 KB unpacks to 30 MB. It is
    refused on its sizes, and checking it allocates a small fraction of what it unpacks to
    (the old check read the part whole and lower-cased a copy)."""
    bomb = office_bomb("docx", unpacked_mb=30)
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        message = refused("bomb.docx", bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.startswith("The file is packed far more tightly than an ordinary document")
    assert peak < 5 * 1024 * 1024
    for kind in ("xlsx", "pptx"):
        assert "packed far more tightly" in refused(
            f"bomb.{kind}", office_bomb(kind, unpacked_mb=5)
        )


def test_the_total_unpacked_size_is_capped(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(files, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    big = office_bomb("docx", unpacked_mb=3, part="word/document.xml")
    assert refused("big.docx", big) == (
        "The file unpacks to more than 2 MB, far more than an ordinary document, so HowGood "
        "does not open it."
    )


def test_a_zip_whose_sizes_lie_is_refused_as_damaged() -> None:
    """A part that claims to unpack to 1 KB but holds 5 MB cannot slip past the size check:
    every part is unpacked once, counting, and its checksum proved."""
    liar = lying_sizes(
        office_bomb("docx", unpacked_mb=5, part="word/document.xml"), "word/document.xml", 1024
    )
    assert refused("liar.docx", liar) == "The file is damaged or not the kind its name says."


@pytest.mark.parametrize("written", list(HOSTILE_PDF_ACTIONS))
def test_pdf_actions_are_found_however_they_are_written(written: str) -> None:
    assert refused("report.pdf", pdf_with_action(HOSTILE_PDF_ACTIONS[written])) == SCRIPTS


def test_javascript_hidden_in_a_compressed_object_stream_is_found() -> None:
    hidden = pdf_with_action(HOSTILE_PDF_ACTIONS["hex-escaped JavaScript"], packed=True)
    assert b"JavaScript" not in hidden and b"J#61" not in hidden  # nothing to grep for
    assert refused("report.pdf", hidden) == SCRIPTS


def test_an_action_whose_type_is_a_reference_is_followed() -> None:
    """``/S 5 0 R`` with object 5 the name /Launch: the reference is resolved, as a viewer
    resolves it."""
    indirect = pdf_file(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            4: b"<< /S 5 0 R /F (cmd.exe) >>",
            5: b"/L#61unch",
        }
    )
    assert refused("indirect.pdf", indirect) == SCRIPTS


def test_document_level_javascript_and_xfa_forms_are_refused() -> None:
    names = pdf_file(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            4: b"<< /Names [(a) << /S /JavaScript /JS (app.alert(1)) >>] >>",
        }
    )
    assert refused("names.pdf", names) == SCRIPTS
    xfa = pdf_file(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            4: b"<< /Length 0 >>\nstream\n\nendstream",
        }
    )
    assert refused("form.pdf", xfa) == SCRIPTS


def test_a_pdf_that_cannot_be_read_or_is_locked_is_refused() -> None:
    assert refused("broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /JS (x) >>\nendobj\n%%EOF\n") == (
        "The PDF is damaged, so HowGood cannot check it. Save or print it to PDF again and "
        "upload that."
    )
    assert refused("locked.pdf", locked_pdf()) == (
        "The PDF is protected by a password, so HowGood cannot check it. Remove the password "
        "and upload it again."
    )


def test_a_word_file_with_a_remote_template_is_refused() -> None:
    assert refused("letter.docx", docx_with_remote_template()) == REMOTE
    unc = docx_with_remote_template("file://attacker.invalid/share/template.dotm")
    assert refused("letter.docx", unc) == REMOTE
    # A template on the author's own computer is how Word records its letterhead template.
    local = docx_with_remote_template("file:///C:/Users/qa/Templates/Letterhead.dotx")
    assert check_upload("letter.docx", local).size == len(local)


@pytest.mark.parametrize(
    ("kind", "rel_type"),
    [("xlsx", "externalLinkPath"), ("pptx", "oleObject"), ("docx", "frame")],
)
def test_other_remote_links_are_refused_in_every_office_type(kind: str, rel_type: str) -> None:
    linked = with_external_link(kind, rel_type, "https://attacker.invalid/x")
    expected = OLE if rel_type == "oleObject" else REMOTE
    assert refused(f"linked.{kind}", linked) == expected


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pptx"])
def test_an_embedded_ole_object_is_refused(kind: str) -> None:
    assert refused(f"embedded.{kind}", with_ole_object(kind)) == OLE


# --- Through the page ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "build", "words"),
    [
        ("bomb.docx", lambda: office_bomb("docx", unpacked_mb=30), "packed far more tightly"),
        ("report.pdf", lambda: pdf_with_action(HOSTILE_PDF_ACTIONS["hex-escaped Launch"]), SCRIPTS),
        (
            "hidden.pdf",
            lambda: pdf_with_action(HOSTILE_PDF_ACTIONS["/JS( with no space"], packed=True),
            SCRIPTS,
        ),
        ("letter.docx", docx_with_remote_template, REMOTE),
        ("embedded.xlsx", lambda: with_ole_object("xlsx"), OLE),
    ],
)
def test_the_upload_page_refuses_and_keeps_what_was_typed(
    cast, framework, client_for, name, build, words
) -> None:  # type: ignore[no-untyped-def]
    form = {
        "title": "Child protection procedures",
        "type": "policy",
        "dated": "2025-09-01",
        "summary": "The partnership's procedures.",
        "submission_key": "h1",
    }
    response = client_for("contributor").post(
        reverse("selfevaluation:document_add"), {**form, "file": SimpleUploadedFile(name, build())}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert words.replace("'", "&#x27;") in body
    assert 'value="Child protection procedures"' in body
    assert not Document.objects.exists()
    good = client_for("contributor").post(
        reverse("selfevaluation:document_add"),
        {
            **form,
            "submission_key": "h2",
            "file": SimpleUploadedFile("procedures.docx", real_docx()),
        },
    )
    assert good.status_code == 302 and Document.objects.count() == 1
