from howgood.core.audit import register

register("governance.draft.created", "Drafted a document from HowGood's figures")
register("governance.draft.updated", "Changed the text of a drafted document")
register("governance.draft.requested", "Asked for a drafted document in Word")
