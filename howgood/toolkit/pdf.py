"""PDF from Django templates through WeasyPrint, with no network access.

Print templates extend ``toolkit/print_base.html`` (cover page, running header with the
security marking, "Page X of Y" footer) and are styled by ``static/css/print.css``: the
same kind of templates as the pages, with print CSS.

Resources: WeasyPrint fetches nothing from the network. :class:`LocalOnlyURLFetcher`
serves ``data:`` URIs (charts are embedded as data URIs) and files inside the project's
``static/`` directory, and refuses everything else (http, https, ftp, other files). The
default base URL is that directory, so a template links its stylesheet as
``css/print.css`` (not ``{% static %}``, which in production yields hashed names that
exist only after ``collectstatic``).

Cost: rendering is CPU-bound and takes seconds for a long report (about a second per
ten pages, more with many charts). Call it from a background task, not a request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

__all__ = [
    "LocalOnlyURLFetcher",
    "RefusedURL",
    "default_base_url",
    "pdf_document",
    "render_pdf",
    "static_root",
]


class RefusedURL(ValueError):
    """A print template asked for a resource outside what ``LocalOnlyURLFetcher`` serves.

    WeasyPrint catches it, logs a warning and renders without the resource.
    """


def static_root() -> Path:
    """The project's ``static/`` directory: the only files a PDF may include."""
    return (Path(settings.BASE_DIR) / "static").resolve()


def default_base_url() -> str:
    """``file:///…/static/``: relative URLs in print templates resolve into static/."""
    return static_root().as_uri() + "/"


class LocalOnlyURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that never touches the network.

    Serves ``data:`` URIs, and ``file:`` URLs that resolve (after following symbolic
    links) to a file inside ``root`` (default: :func:`static_root`). Anything else raises
    :class:`RefusedURL`.
    """

    def __init__(self, root: Path | None = None) -> None:
        # No handlers beyond data: are needed; the parent's opener is used for data: only.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.root = (root or static_root()).resolve()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            response: URLFetcherResponse = super().fetch(url, headers)
            return response
        if scheme == "file":
            return self._file(url)
        raise RefusedURL(f"Print templates may not fetch {scheme or 'relative'} URLs: {url}")

    def _file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise RefusedURL(f"Print templates may not fetch remote files: {url}")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise RefusedURL(f"Print templates may only use files in {self.root}: {url}")
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), _content_type(path))

    def __call__(self, url: str) -> URLFetcherResponse:
        return self.fetch(url)


_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
}


def _content_type(path: Path) -> dict[str, str]:
    kind = _TYPES.get(path.suffix.lower(), "application/octet-stream")
    return {"Content-Type": kind}


def pdf_document(
    template_name: str, context: dict[str, Any], *, base_url: str | None = None
) -> weasyprint.document.Document:
    """The laid-out document (its ``pages`` can be counted) before it is written as PDF.

    ``marking`` defaults to ``"OFFICIAL-SENSITIVE"`` when the context does not give one
    (pass ``""`` for no marking): forgetting it should err on the side of caution.
    """
    html = render_to_string(template_name, {"marking": "OFFICIAL-SENSITIVE", **context})
    return weasyprint.HTML(
        string=html,
        base_url=base_url or default_base_url(),
        url_fetcher=LocalOnlyURLFetcher(),
    ).render()


def render_pdf(
    template_name: str, context: dict[str, Any], *, base_url: str | None = None
) -> bytes:
    """Render ``template_name`` with ``context`` (no request) and return the PDF bytes.

    The template is rendered with Django's template engine (autoescaping on; context
    processors do not run), then laid out by WeasyPrint using only local resources
    (see :class:`LocalOnlyURLFetcher`). The PDF is tagged for screen readers. ``base_url``
    resolves relative URLs (default: the project's static directory).
    """
    document = pdf_document(template_name, context, base_url=base_url)
    pdf: bytes = document.write_pdf(pdf_tags=True)
    return pdf
