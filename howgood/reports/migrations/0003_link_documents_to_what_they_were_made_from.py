"""Link each document made before 0002 to what it was made from, and mark case-level ones.

The kind's app says what the bare ``target_id`` pointed at. A document whose source no
longer exists (the bug this fixes: nothing cascaded) is deleted, as is one of a kind no
builder makes any more. Findings workbooks made so far hold one row per moderated reading:
they become "records.readings.xlsx", case-level, for `records.case_data` only.
"""

from django.db import migrations

SOURCE_OF_KIND = {
    "records.": ("exercise", "records", "Exercise"),
    "surveys.": ("survey", "surveys", "Survey"),
    "improvement.": ("plan", "improvement", "Plan"),
    "selfevaluation.": ("position_statement", "selfevaluation", "PositionStatement"),
}


def link(apps, schema_editor):
    GeneratedReport = apps.get_model("reports", "GeneratedReport")
    for prefix, (field, app, model) in SOURCE_OF_KIND.items():
        Source = apps.get_model(app, model)
        reports = GeneratedReport.objects.filter(kind__startswith=prefix)
        existing = set(Source.objects.values_list("pk", flat=True))
        reports.exclude(target_id__in=existing).delete()
        for target_id in reports.values_list("target_id", flat=True).distinct():
            reports.filter(target_id=target_id).update(**{f"{field}_id": target_id})
    unknown = GeneratedReport.objects.all()
    for prefix in SOURCE_OF_KIND:
        unknown = unknown.exclude(kind__startswith=prefix)
    unknown.delete()
    GeneratedReport.objects.filter(kind="records.findings.xlsx").update(
        kind="records.readings.xlsx", capability="records.case_data", case_level=True
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_generatedreport_made_from")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
