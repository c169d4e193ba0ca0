"""Builders of background documents, registered by the app that owns the data.

    @register("records.findings.docx", capability="records.findings")
    def build(report: GeneratedReport) -> Built: ...

    @register("records.readings.xlsx", capability="records.case_data", case_level=True)
    def build_readings(report: GeneratedReport) -> Built: ...

A builder receives the report row (its target id and params) and returns the file.

``exact="capability"`` says the document shows small numbers unless it is asked for "for
sharing" (``params["share"]``): a copy not for sharing needs that capability too, to ask
for and to download, so that a person who may have only the shared copy (a scrutiny
partner) cannot download someone else's exact one.
``case_level=True`` says the document holds case-level data: anything with one row per
child or reading, or free text about a child. Such a document goes only to roles that see
case data (all of which sign in with two-factor), so its capability must be held by no
other role: registering one that is refuses to start. Every download of it is audited
(as is every download of any document).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from howgood.partnerships.roles import CAPABILITIES, CASE_DATA_ROLES


@dataclass(frozen=True)
class Built:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Builder:
    name: str
    capability: str
    build: Callable[[Any], Built]
    case_level: bool = False
    exact: str | None = None  # the capability a copy not for sharing needs

    def capability_for(self, params: dict[str, Any]) -> str:
        """The capability a copy made with ``params`` needs."""
        if self.exact and not params.get("share"):
            return self.exact
        return self.capability


_BUILDERS: dict[str, Builder] = {}

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def register(
    name: str, *, capability: str, case_level: bool = False, exact: str | None = None
) -> Callable[[Callable[[Any], Built]], Callable[[Any], Built]]:
    for needed in (capability, exact):
        if needed is not None and needed not in CAPABILITIES:
            raise ImproperlyConfigured(f"Document {name!r}: unknown capability {needed!r}")
    if case_level and not CAPABILITIES[capability] <= CASE_DATA_ROLES:
        others = sorted(str(r) for r in CAPABILITIES[capability] - CASE_DATA_ROLES)
        raise ImproperlyConfigured(
            f"Document {name!r} holds case-level data, but {capability!r} is also held by "
            f"{', '.join(others)}, who do not see case data"
        )

    def wrap(fn: Callable[[Any], Built]) -> Callable[[Any], Built]:
        _BUILDERS[name] = Builder(name, capability, fn, case_level, exact)
        return fn

    return wrap


def builder(name: str) -> Builder:
    return _BUILDERS[name]
