"""Links taken from the address (``?back=``, ``?next=``): same-site paths only.

Every "back" or "next" link that comes from the request goes through :func:`local_path`
before it reaches an ``href`` or a redirect, so nobody can be sent to another site or run
a ``javascript:`` link from a page of HowGood.
"""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(candidate: str | None, default: str) -> str:
    """``candidate`` if it is a path on this site, otherwise ``default``.

    A path starts with a single "/" (not "//", which browsers read as another host) and
    holds no backslash, space or control character (browsers turn "\\" into "/" and drop
    tabs and newlines, which would make "/\\evil.example" or "/<tab>/evil.example" another
    host). Full addresses are refused even when they name this site: the pages only ever
    link to paths.
    """
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return default
    if any(ch == "\\" or ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in candidate):
        return default
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts=set()):
        return default
    return candidate
