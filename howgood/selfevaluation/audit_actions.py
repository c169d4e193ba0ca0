"""Audit action names for self-evaluation (autodiscovered by howgood.core at start-up)."""

from howgood.core.audit import register

register("selfevaluation.document.uploaded", "Document uploaded to the evidence library")
register("selfevaluation.audit.logged", "Single-service audit logged")
register("selfevaluation.finding.added", "Audit finding added")
register("selfevaluation.finding.closed", "Audit finding closed")
register("selfevaluation.workshop.created", "Self-evaluation workshop set up")
register("selfevaluation.contribution.added", "Workshop contribution added")
register("selfevaluation.contribution.merged", "Workshop contributions merged")
register("selfevaluation.focus.evaluated", "Six-point evaluation recorded")
register("selfevaluation.evidence.linked", "Evidence linked")
register("selfevaluation.statement.created", "Position statement started")
register("selfevaluation.section.saved", "Position statement section saved")
register("selfevaluation.version.saved", "Position statement version saved")
register("selfevaluation.version.signed_off", "Position statement version signed off")
register("selfevaluation.comment.added", "Comment on the position statement")
register("selfevaluation.action.drafted", "Draft plan action made from self-evaluation")
register("selfevaluation.statement.exported", "Position statement exported")
