"""Builders of background documents, registered by the app that owns the data.

    @register("records.findings", capability="records.findings")
    def build(report: GeneratedReport) -> Built: ...

A builder receives the report row (its target id and params) and returns the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


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


_BUILDERS: dict[str, Builder] = {}

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def register(
    name: str, *, capability: str
) -> Callable[[Callable[[Any], Built]], Callable[[Any], Built]]:
    def wrap(fn: Callable[[Any], Built]) -> Callable[[Any], Built]:
        _BUILDERS[name] = Builder(name, capability, fn)
        return fn

    return wrap


def builder(name: str) -> Builder:
    return _BUILDERS[name]
