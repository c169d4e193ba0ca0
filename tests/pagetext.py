"""The words a person sees on a page, for tests that assert what a page shows."""

from __future__ import annotations

import html
import re
from typing import Any


def page_text(response: Any) -> str:
    """The text of a page's main content as one line: each element's text in order,
    separated by " | " (tags removed, entities decoded, whitespace collapsed), so a table
    row reads "Reader Person | A Health | Moderator Person | A Social Work | 10". Scripts
    and styles are left out: nobody sees them."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", "", main, flags=re.S)  # not seen
    pieces = (" ".join(html.unescape(p).split()) for p in re.split(r"<[^>]*>", main))
    return " | ".join(p for p in pieces if p)
