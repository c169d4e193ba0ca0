"""What the evidence library accepts: real files, no macros, no disguises."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from howgood.selfevaluation.files import check_upload
from tests.core.hostile import pdf_with_action, plain_pdf

PDF = plain_pdf()


def docx(extra: dict[str, bytes] | None = None, types: bytes = b"<Types/>") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def test_a_real_word_file_and_pdf_are_accepted() -> None:
    from docx import Document

    buffer = io.BytesIO()
    Document().save(buffer)
    checked = check_upload("Policy.docx", buffer.getvalue())
    assert checked.content_type.endswith("wordprocessingml.document") and len(checked.sha256) == 64
    assert check_upload("minutes.pdf", PDF).content_type == "application/pdf"
    assert check_upload("data.csv", b"a,b\n1,2\n").content_type.startswith("text/csv")


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("macro.docm", docx(), "can hold macros"),
        ("old.doc", b"\xd0\xcf\x11\xe0", "can hold macros"),
        ("hidden.docx", docx({"word/vbaProject.bin": b"x"}), "contains macros"),
        (
            "typed.docx",
            docx(
                types=b'<Types><Default Extension="bin" ContentType="application/'
                b'vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
            ),
            "contains macros",
        ),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", "not a PDF"),
        ("script.pdf", pdf_with_action(b"<< /S /JavaScript /JS (app.alert(1)) >>"), "scripts"),
        ("fake.docx", b"plain text", "damaged"),
        ("run.exe", b"MZ", "Upload a PDF"),
        ("empty.pdf", b"", "empty"),
        ("binary.txt", b"a\x00b", "not plain text"),
        ("picture.png", b"GIF89a", "not the kind of image"),
    ],
)
def test_refused_with_a_clear_reason(name: str, data: bytes, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check_upload(name, data)
    assert words in " ".join(refused.value.messages)


def test_size_limit(settings) -> None:  # type: ignore[no-untyped-def]
    settings.HOWGOOD_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as refused:
        check_upload("big.pdf", PDF)
    assert "larger than" in refused.value.messages[0]
