"""What the evidence library accepts, checked before anything is stored.

A file is accepted only if its name ends with one of the allowed types, it is within the
size limit, and its content is what the name says (a PDF starts ``%PDF-``; Word, Excel
and PowerPoint files are zip packages with their parts; and so on). Files that can carry
macros are refused outright (``.docm``, ``.xlsm``, ``.pptm``, a package holding
``vbaProject.bin``, an OpenDocument file with ``Basic/`` scripts).

The checks parse, they do not search the bytes:

- Office and OpenDocument files are zip packages, opened through
  :func:`howgood.core.packages.open_package`: at most :data:`MAX_UNPACKED_BYTES` unpacked,
  no part packed more than 100 times, every part unpacked once, streaming, to prove it.
  Then the package's content types and every relationships part are parsed: embedded or
  linked OLE objects and ActiveX controls are refused, and so is anything the file fetches
  from another computer when opened (a remote ``attachedTemplate``, a linked frame or
  workbook); hyperlinks are fine.
- PDFs are read with pypdf (its stream limits tightened) and every object is visited,
  including those packed in compressed object streams, with names decoded (``/J#61vaScript``
  is ``/JavaScript``): scripts (``/JS``, document-level ``/JavaScript``, XFA forms) and
  ``/JavaScript``, ``/Launch`` or ``/RichMediaExecute`` actions are refused, as are PDFs
  that cannot be read or are locked with a password.

HowGood never opens, converts or runs an upload: it stores the bytes under a random name
outside the web root and serves them back only to members of the partnership, as a
download.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any, Final
from xml.etree.ElementTree import Element

from defusedxml import DTDForbidden, ElementTree, EntitiesForbidden
from django.conf import settings
from django.core.exceptions import ValidationError
from pypdf import PdfReader, apply_configuration
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from howgood.core.forms import too_large
from howgood.core.packages import PackageError, open_package, read_part

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

MAX_UNPACKED_BYTES: Final = 100 * 1024 * 1024
"""What an Office file may unpack to in all (ten times the upload limit)."""
XML_PART_LIMIT: Final = 4 * 1024 * 1024
"""Largest content-types, relationships or manifest part read (real ones are kilobytes)."""
MAX_PDF_OBJECTS: Final = 100_000
"""Most objects a PDF may have (a 500-page report has a few tens of thousands)."""
PDF_READER_LIMITS: Final = {
    "zlib_maximum_output_length": 20_000_000,
    "lzw_maximum_output_length": 20_000_000,
    "run_length_maximum_output_length": 20_000_000,
    "brotli_maximum_output_length": 20_000_000,
    "array_based_stream_maximum_output_length": 20_000_000,
    "stream_decoding_work_maximum_length": 100_000_000,
}
"""pypdf's own limits, tightened: no stream the check unpacks may exceed 20 MB."""
PDF_SCRIPT_KEYS: Final = frozenset({"/JS", "/JavaScript", "/XFA"})
"""A script (/JS), document-level scripts (/JavaScript in the name tree), an XFA form."""
PDF_SCRIPT_ACTIONS: Final = frozenset({"/JavaScript", "/Launch", "/RichMediaExecute"})
"""Actions (/S) that run code or another program."""
OBJECT_RELATIONSHIPS: Final = frozenset(
    {"oleObject", "activeXControl", "activeXControlBinary", "control"}
)
"""Relationship types that embed or link an object that can run a program."""
EMBEDDED_REFUSED: Final = (".bin", ".docm", ".xlsm", ".pptm", ".xlsb", ".doc", ".xls", ".ppt")
"""Embedded parts that are OLE objects or can hold macros (a chart's .xlsx is fine)."""

DAMAGED = "The file is damaged or not the kind its name says."
MACROS = "The file contains macros, so HowGood does not accept it."
PDF_SCRIPTS = (
    "The PDF contains scripts or actions that run programs, so HowGood does not accept it."
)
REMOTE = (
    "The file fetches something from another computer when it is opened (a remote template "
    "or linked content), so HowGood does not accept it. Remove the link and upload it again."
)
EMBEDDED_OBJECT = (
    "The file contains an embedded or linked object (such as an OLE object or ActiveX "
    "control), which can run a program, so HowGood does not accept it. Remove the object, "
    "or paste it as a picture, and upload it again."
)


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
        raise _refuse(too_large(limit))
    content_type = _check_content(ext, data)
    return Checked(content_type, len(data), hashlib.sha256(data).hexdigest())


def _check_content(ext: str, data: bytes) -> str:
    if ext == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise _refuse("The file is not a PDF, though its name says it is.")
        _check_pdf(data)
        return "application/pdf"
    if ext in OOXML or ext in ODF:
        try:
            package = open_package(data, max_bytes=MAX_UNPACKED_BYTES, verify=True)
        except PackageError as error:
            raise _refuse(str(error)) from None
        try:
            return _check_package(ext, package)
        except PackageError as error:
            raise _refuse(str(error)) from None
    if ext in PLAIN:
        if b"\x00" in data:
            raise _refuse("The file is not plain text.")
        return PLAIN[ext] + "; charset=utf-8"
    content_type, magic = IMAGES[ext]
    if not data.startswith(magic):
        raise _refuse("The file is not the kind of image its name says.")
    return content_type


# --- Office files --------------------------------------------------------------------------


def _check_package(ext: str, package: zipfile.ZipFile) -> str:
    names = package.namelist()
    lowered = [n.lower() for n in names]
    if any(n.endswith("vbaproject.bin") for n in lowered) or any(
        n.startswith(("basic/", "scripts/")) for n in lowered
    ):
        raise _refuse(MACROS)
    if ext in ODF:
        mimetype = read_part(package, "mimetype", limit=200) if "mimetype" in names else b""
        if mimetype.decode("ascii", "replace") != ODF[ext]:
            raise _refuse(DAMAGED)
        manifest = "META-INF/manifest.xml"
        if (
            manifest in names
            and b"oleobject" in read_part(package, manifest, limit=XML_PART_LIMIT).lower()
        ):
            raise _refuse(EMBEDDED_OBJECT)
        return ODF[ext]
    content_type, part = OOXML[ext]
    if "[Content_Types].xml" not in names or not any(n.startswith(part) for n in names):
        raise _refuse(DAMAGED)
    for element in _xml(package, "[Content_Types].xml"):
        declared = (element.get("ContentType") or "").lower()
        if "macroenabled" in declared or "vbaproject" in declared:
            raise _refuse(MACROS)
        if "oleobject" in declared or "activex" in declared:
            raise _refuse(EMBEDDED_OBJECT)
    for name, low in zip(names, lowered, strict=True):
        if "/activex/" in low or ("/embeddings/" in low and low.endswith(EMBEDDED_REFUSED)):
            raise _refuse(EMBEDDED_OBJECT)
        if low.endswith(".rels"):
            _check_relationships(package, name)
    return content_type


def _check_relationships(package: zipfile.ZipFile, name: str) -> None:
    """Refuse embedded or linked objects, and anything fetched from another computer when
    the file opens. Hyperlinks (followed only when someone clicks them) are fine."""
    for relation in _xml(package, name):
        kind = (relation.get("Type") or "").rsplit("/", 1)[-1]
        if kind in OBJECT_RELATIONSHIPS:
            raise _refuse(EMBEDDED_OBJECT)
        if (relation.get("TargetMode") or "").lower() != "external" or kind == "hyperlink":
            continue
        if _is_remote(relation.get("Target") or ""):
            raise _refuse(REMOTE)


def _is_remote(target: str) -> bool:
    """False for a path on the author's own computer (``file:///C:/...``, ``C:\\...``,
    ``file:///Users/...`` or a relative path), where Word records the template a letter was
    made from; True for web addresses, ``file://host/...`` and ``\\\\server\\share``."""
    text = target.strip().replace("\\", "/").lower()
    if text.startswith("file:///") and not text.startswith("file:////"):
        return False
    if re.match(r"^[a-z]:/", text):
        return False
    return text.startswith("//") or bool(re.match(r"^[a-z][a-z0-9+.-]*:", text))


def _xml(package: zipfile.ZipFile, name: str) -> list[Element]:
    """The child elements of a small XML part's root (content types, relationships)."""
    try:
        root = ElementTree.fromstring(
            read_part(package, name, limit=XML_PART_LIMIT), forbid_dtd=True
        )
    except PackageError:
        raise
    except (ElementTree.ParseError, ValueError, EntitiesForbidden, DTDForbidden):
        raise _refuse(DAMAGED) from None
    return list(root)


# --- PDFs ------------------------------------------------------------------------------------


def _check_pdf(data: bytes) -> None:
    """Read every object of the PDF (including those packed in compressed object streams)
    and refuse it if any is a script or an action that runs something. Names are compared
    after the PDF reader has decoded them, so ``/J#61vaScript`` is ``/JavaScript``."""

    try:
        with apply_configuration(None, **PDF_READER_LIMITS):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise _refuse(
                    "The PDF is protected by a password, so HowGood cannot check it. Remove "
                    "the password and upload it again."
                )
            if _has_script(reader):
                raise _refuse(PDF_SCRIPTS)
    except ValidationError:
        raise
    except Exception:  # whatever stops the reader, the PDF cannot be checked
        raise _refuse(
            "The PDF is damaged, so HowGood cannot check it. Save or print it to PDF again and "
            "upload that."
        ) from None


def _has_script(reader: Any) -> bool:
    """Walk the PDF from its trailer and from every object its cross-reference lists (and
    its object streams hold), following references the way a viewer does, each object
    once: True at the first script or script-running action."""
    listed = [(n, g) for g, entries in reader.xref.items() for n in entries]
    listed += [(n, 0) for n in reader.xref_objStm]
    pending: list[Any] = [reader.trailer] + [IndirectObject(n, g, reader) for n, g in listed]
    seen: set[tuple[int, int]] = set()
    steps = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        steps += 1
        if len(seen) > MAX_PDF_OBJECTS or steps > 20 * MAX_PDF_OBJECTS:
            raise _refuse(
                f"The PDF has more than {MAX_PDF_OBJECTS:,} parts, far more than an ordinary "
                "document, so HowGood cannot check it."
            )
        if isinstance(item, DictionaryObject):
            if any(key in PDF_SCRIPT_KEYS for key in dict.keys(item)):
                return True
            action = dict.get(item, "/S")
            if isinstance(action, IndirectObject):
                action = action.get_object()
            if isinstance(action, str) and action in PDF_SCRIPT_ACTIONS:
                return True
            pending.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            pending.extend(list.__iter__(item))
    return False
