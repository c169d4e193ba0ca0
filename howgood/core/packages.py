"""Zip packages (Word, Excel, PowerPoint and OpenDocument files) checked before anything
opens them, so a small upload cannot make the server unpack gigabytes.

:func:`open_package` refuses, with one plain message, a package that

- has more than ``max_members`` parts (counted from the raw bytes before the zip's
  directory is read, so a directory of millions of entries is never built);
- says its parts unpack to more than ``max_bytes`` in all;
- has a part that unpacks to more than :data:`RATIO_GRACE_BYTES` at more than
  :data:`MAX_RATIO` times its packed size (ordinary Office parts pack 5 to 30 times; a zip
  bomb packs 1,000 times). These are Apache POI's defaults (``ZipSecureFile``), which
  Office file servers have used for years.

Python's ``zipfile`` never hands back more than a part's declared size (and then fails its
checksum), so the declared sizes bound what any later reader can unpack. With
``verify=True`` every part is also unpacked once, streaming in 64 KB pieces and counting,
which proves the checksums and the sizes without holding a part in memory.

:func:`read_part` reads one part whole, but only up to a limit: for the small XML parts
(``[Content_Types].xml``, relationships) that checks need to parse.
"""

from __future__ import annotations

import io
import zipfile
from typing import Final

MAX_RATIO: Final = 100
"""Largest packed-to-unpacked ratio for a part bigger than RATIO_GRACE_BYTES."""
RATIO_GRACE_BYTES: Final = 100 * 1024
"""Parts smaller than this may pack as tightly as they like (they cannot hurt)."""
MAX_MEMBERS: Final = 10_000
"""Most parts a package may have (a 300-slide presentation has about 2,000)."""
_CENTRAL_DIRECTORY_ENTRY = b"PK\x01\x02"
_CHUNK = 64 * 1024


class PackageError(Exception):
    """Why the package cannot be opened, in words for the person who uploaded it."""


class DamagedPackage(PackageError):
    """Not a zip at all, or one that fails its own checks (sizes, checksums)."""

    def __init__(self) -> None:
        super().__init__("The file is damaged or not the kind its name says.")


def open_package(
    data: bytes, *, max_bytes: int, max_members: int = MAX_MEMBERS, verify: bool = False
) -> zipfile.ZipFile:
    """The package as an open ZipFile once its sizes are within the limits.

    Raises PackageError when the file is not a zip, is damaged, or is over a limit.
    Cost: one pass over the raw bytes, plus (with ``verify``) unpacking every part once,
    at most ``max_bytes``.
    """
    # A count of directory signatures is an upper bound on the entries (the signature can
    # also occur by chance inside packed data, which only makes the count cautious).
    if data.count(_CENTRAL_DIRECTORY_ENTRY) > max_members:
        raise PackageError(
            f"The file has more than {max_members:,} parts inside it, so HowGood does not open it."
        )
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise DamagedPackage() from None
    total = 0
    for info in package.infolist():
        total += info.file_size
        if total > max_bytes:
            raise PackageError(_too_big(max_bytes))
        if info.file_size > RATIO_GRACE_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise PackageError(
                "The file is packed far more tightly than an ordinary document (a part of it "
                f"unpacks to {_size(info.file_size)} from {_size(info.compress_size)}), so "
                "HowGood does not open it."
            )
    if verify:
        _unpack_all(package, max_bytes)
    return package


def read_part(package: zipfile.ZipFile, name: str, *, limit: int) -> bytes:
    """A part's bytes, reading at most ``limit`` of them; PackageError when it is bigger."""
    try:
        with package.open(name) as stream:
            data = stream.read(limit + 1)
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, NotImplementedError, OSError):
        raise DamagedPackage() from None
    if len(data) > limit:
        raise PackageError(
            f"The part {name} of the file is larger than {limit // 1024:,} KB, far larger than "
            "in any ordinary document, so HowGood does not open it."
        )
    return data


def _unpack_all(package: zipfile.ZipFile, max_bytes: int) -> None:
    total = 0
    for info in package.infolist():
        try:
            with package.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    total += len(chunk)
                    if total > max_bytes:
                        raise PackageError(_too_big(max_bytes))
        except PackageError:
            raise
        except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, OSError):
            # A wrong checksum, a size that lies, a part in a method we cannot read, or
            # a password-protected part: none of these is an ordinary document.
            raise DamagedPackage() from None


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):,.0f} MB"
    return f"{max(count, 1) / 1024:,.1f} KB"


def _too_big(max_bytes: int) -> str:
    return (
        f"The file unpacks to more than {max_bytes // (1024 * 1024):,} MB, far more than an "
        "ordinary document, so HowGood does not open it."
    )
