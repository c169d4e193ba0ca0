from howgood.core.audit import register

register("questionnaires.questionnaire.created", "Questionnaire created")
register("questionnaires.version.imported", "Questionnaire version imported from a file")
register("questionnaires.version.replaced", "Draft replaced with a corrected file")
register("questionnaires.version.published", "Questionnaire version published")
register("questionnaires.version.derived", "New draft made from a version")
register("questionnaires.version.exported", "Questionnaire version downloaded as XLSForm")
register("questionnaires.version.previewed", "Questionnaire version previewed")
