"""What the evidence library accepts, checked before anything is stored.

A file is accepted only if its name ends with one of the allowed types, it is within the
size limit, and its content is what the name says (a PDF starts ``%PDF-``; Word, Excel
and PowerPoint files are zip packages with their parts; and so on). Files that can carry
macros are refused outright (``.docm``, ``.xlsm``, ``.pptm``, a package holding
``vbaProject.bin``, an OpenDocument file with ``Basic/`` scripts), as are PDFs with
JavaScript or launch actions. HowGood never opens, converts or runs an upload: it stores
the bytes under a random name outside the web root and serves them back only to members
of the partnership, as a download.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

OOXML = {
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ppt/",
    ),
}
ODF = {
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
PLAIN = {".csv": "text/csv", ".txt": "text/plain"}
IMAGES = {".png": ("image/png", b"\x89PNG\r\n\x1a\n"), ".jpg": ("image/jpeg", b"\xff\xd8\xff")}
MACRO_TYPES = (".docm", ".xlsm", ".pptm", ".dotm", ".xltm", ".xlsb", ".doc", ".xls", ".ppt")
ALLOWED = [".pdf", *OOXML, *ODF, *PLAIN, ".png", ".jpg", ".jpeg"]


@dataclass(frozen=True)
class Checked:
    content_type: str
    size: int
    sha256: str


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def check_upload(name: str, data: bytes) -> Checked:
    """The file's type, size and hash if HowGood accepts it; ValidationError saying why not."""
    limit = settings.HOWGOOD_MAX_UPLOAD_BYTES
    lowered = name.lower()
    ext = "." + lowered.rsplit(".", 1)[-1] if "." in lowered else ""
    if ext == ".jpeg":
        ext = ".jpg"
    if ext in MACRO_TYPES:
        raise _refuse(
            "This kind of file can hold macros, so HowGood does not accept it. Save it as "
            ".docx, .xlsx, .pptx or PDF and upload that."
        )
    if ext not in ALLOWED:
        raise _refuse(
            "Upload a PDF, Word, Excel, PowerPoint, OpenDocument, CSV, text, PNG or JPEG file."
        )
    if not data:
        raise _refuse("The file is empty.")
    if len(data) > limit:
        raise _refuse(f"The file is larger than {limit // (1024 * 1024)} MB. Upload a smaller one.")
    content_type = _check_content(ext, data)
    return Checked(content_type, len(data), hashlib.sha256(data).hexdigest())


def _check_content(ext: str, data: bytes) -> str:
    if ext == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise _refuse("The file is not a PDF, though its name says it is.")
        if b"/JavaScript" in data or b"/JS " in data or b"/Launch" in data:
            raise _refuse(
                "The PDF contains scripts or launch actions, so HowGood does not accept it."
            )
        return "application/pdf"
    if ext in OOXML or ext in ODF:
        try:
            package = zipfile.ZipFile(io.BytesIO(data))
            names = package.namelist()
        except zipfile.BadZipFile:
            raise _refuse("The file is damaged or not the kind its name says.") from None
        lowered = [n.lower() for n in names]
        if any(n.endswith("vbaproject.bin") for n in lowered) or any(
            n.startswith(("basic/", "scripts/")) for n in lowered
        ):
            raise _refuse("The file contains macros, so HowGood does not accept it.")
        if ext in OOXML:
            content_type, part = OOXML[ext]
            if "[Content_Types].xml" not in names or not any(n.startswith(part) for n in names):
                raise _refuse("The file is damaged or not the kind its name says.")
            types = package.read("[Content_Types].xml").lower()
            if b"macroenabled" in types or b"vbaproject" in types:
                raise _refuse("The file contains macros, so HowGood does not accept it.")
            return content_type
        mimetype = (
            package.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        )
        if mimetype != ODF[ext]:
            raise _refuse("The file is damaged or not the kind its name says.")
        return ODF[ext]
    if ext in PLAIN:
        if b"\x00" in data:
            raise _refuse("The file is not plain text.")
        return PLAIN[ext] + "; charset=utf-8"
    content_type, magic = IMAGES[ext]
    if not data.startswith(magic):
        raise _refuse("The file is not the kind of image its name says.")
    return content_type
