"""Position statement text on a page: paragraphs, with evidence markers as links."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
TOKEN = re.compile(r"\[evidence (\d+)\]")


@register.filter
def with_evidence(text: str, views: Any) -> SafeString:
    """Escaped paragraphs; ``[evidence 12]`` becomes a link to the evidence listed below
    (or "evidence removed" where it no longer exists)."""
    views = views or {}

    def link(match: re.Match[str]) -> str:
        link_id = int(match.group(1))
        view = views.get(link_id)
        if view is None:
            return '<span class="hg-muted">[evidence removed]</span>'
        return str(
            format_html(
                '<a class="hg-cite" href="#evidence-{}" title="{}">[evidence {}]</a>',
                link_id,
                view.summary,
                link_id,
            )
        )

    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    if not paragraphs:
        return format_html('<p class="hg-muted">{}</p>', "Not written yet.")
    html = "".join(
        "<p>" + TOKEN.sub(link, escape(p)).replace("\n", "<br>") + "</p>" for p in paragraphs
    )
    return mark_safe(html)  # noqa: S308 - every piece above is escaped or format_html


@register.filter
def cited(views: dict[int, Any], text: str) -> list[Any]:
    """The views cited in ``text``, in order of first citation."""
    seen: list[int] = []
    for match in TOKEN.finditer(text or ""):
        link_id = int(match.group(1))
        if link_id not in seen and link_id in views:
            seen.append(link_id)
    return [views[i] for i in seen]
