"""The record-reading fixtures, for drawing re-classified concerns into a case list."""

from tests.records.conftest import exercise, template  # noqa: F401
