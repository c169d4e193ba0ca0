from howgood.core.audit import register

register("reports.document.timed_out", "Document marked as failed: it was not made in time")
register("reports.document.retried", "Asked to try making a document again")
