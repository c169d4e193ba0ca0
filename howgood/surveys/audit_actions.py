from howgood.core.audit import register

register("surveys.survey.created", "Survey created")
register("surveys.survey.closed", "Survey closed early")
register("surveys.codes.generated", "Access codes made")
register("surveys.codes.downloaded", "Access codes downloaded")
register("surveys.comment.tagged", "Comment tagged with a theme")
register("surveys.responses.exported", "Survey responses downloaded")
register("surveys.comment.untagged", "Theme taken off a comment")
register("surveys.comment.quoted", "Comment chosen to quote in reports")
register("surveys.comment.unquoted", "Comment no longer quoted in reports")
register("surveys.report.requested", "Survey report requested")
