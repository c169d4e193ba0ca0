"""Audit action names for documents (autodiscovered by howgood.core at start-up)."""

from howgood.core.audit import register

register("reports.document.downloaded", "Document downloaded")
register("reports.documents.purged", "Documents older than the retention period deleted")
register("reports.document.timed_out", "Document marked as failed: it was not made in time")
register("reports.document.retried", "Asked to try making a document again")
