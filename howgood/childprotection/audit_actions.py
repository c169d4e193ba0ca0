from howgood.core.audit import register

register("childprotection.settings.updated", "Changed the child protection data settings")
register("childprotection.extract.staged", "Uploaded a concern extract to check")
register("childprotection.extract.mapped", "Mapped the columns of a concern extract")
register("childprotection.extract.applied", "Applied a concern extract")
register("childprotection.extract.discarded", "Discarded a concern extract before applying it")
register("childprotection.extract.undone", "Undid a concern extract")
register("childprotection.rows.viewed", "Looked at the child-level rows of a concern extract")
register("childprotection.counts.saved", "Entered a month's child protection counts")
register("childprotection.counts.imported", "Imported monthly child protection counts")
register("childprotection.population.saved", "Entered the number of children in the area")
register("childprotection.change.added", "Marked a change in practice on the data charts")
register("childprotection.change.removed", "Removed a change in practice from the data charts")
register("childprotection.series.measured", "Made a data series into a plan measure")
register(
    "childprotection.sample.drawn", "Drew re-classified concerns into a record-reading case list"
)
register("childprotection.figures.exported", "Downloaded the child protection figures")
register(
    "childprotection.figures.requested", "Asked for the child protection figures as a document"
)
