"""The record-reading fixtures (a template, an exercise, one ready to read) for documents."""

from tests.records.conftest import exercise, ready, template  # noqa: F401
