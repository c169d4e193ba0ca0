"""Audit action names for documents (autodiscovered by howgood.core at start-up)."""

from howgood.core.audit import register

register("reports.document.downloaded", "Document downloaded")
register("reports.documents.purged", "Documents older than the retention period deleted")
