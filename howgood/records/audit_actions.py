from howgood.core.audit import register

register("records.exercise.created", "Record-reading exercise created")
register("records.cases.imported", "Case list imported")
register("records.keymap.viewed", "Key map of local record references opened")
register("records.sample.drawn", "Sample of records drawn")
register("records.case.replaced", "Unavailable record replaced by the next draw")
register("records.pair.created", "Reading pair created")
register("records.pair.deleted", "Reading pair removed")
register("records.cases.assigned", "Records assigned to pairs")
register("records.reading.opened", "A child's reading opened")
register("records.reading.saved", "Reading saved")
register("records.reading.submitted", "Reading submitted")
register("records.concern.raised", "Matter of concern raised")
register("records.concern.acknowledged", "Matter of concern acknowledged")
register("records.concern.action_taken", "Action taken on a matter of concern")
register("records.concern.closed", "Matter of concern closed")
register("records.moderation.saved", "Moderation saved")
register("records.moderation.completed", "Moderated reading completed")
register("records.case_data.deleted", "Case data of an exercise deleted")
register(
    "records.statements.suggested",
    "Strengths and areas for improvement suggested from the findings",
)
register(
    "records.statement.decided", "Strength or area for improvement accepted, edited or dropped"
)
register("records.findings.exported", "Findings exported")
register(
    "records.case_data.viewed",
    "Page listing an exercise's records opened (the exercise, its records or the assignments)",
)
register("records.concern.viewed", "Matter of concern opened")
register("records.exercise.repeat_set", "Record reading marked as a repeat of an earlier one")
register("records.change.exported", "What changed between two rounds exported")
