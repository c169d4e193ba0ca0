"""Audit action names for improvement (autodiscovered by howgood.core at start-up)."""

from howgood.core.audit import register

register("improvement.plan.created", "Improvement plan created")
register("improvement.priority.added", "Plan priority added")
register("improvement.action.created", "Improvement action added")
register("improvement.action.changed", "Improvement action changed")
register("improvement.action.agreed", "Improvement action agreed")
register("improvement.action.progress", "Progress recorded on an action")
register("improvement.action.reminded", "Owner reminded about an action")
register("improvement.measure.created", "Measure created")
register("improvement.measure.changed", "Measure changed")
register("improvement.point.saved", "Measure data point saved")
register("improvement.points.imported", "Measure data imported")
register("improvement.phase.added", "New phase marked on a measure")
register("improvement.phase.removed", "Phase removed from a measure")
register("improvement.annotation.added", "Note added to a measure's chart")
register("improvement.diagram.created", "Driver diagram created")
register("improvement.driver.added", "Driver added to a driver diagram")
register("improvement.change_idea.added", "Change idea added")
register("improvement.pdsa.planned", "PDSA cycle planned")
register("improvement.pdsa.updated", "PDSA cycle written up")
register("improvement.report.requested", "Governance report requested")
