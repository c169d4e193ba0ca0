"""The training register's course becomes a choice: record reading, moderation or other.

Existing free text is mapped: anything about moderation ("Moderation", "Record reading and
moderation") becomes moderation; anything about reading records ("Record reading",
"record-reading", "Record reader training") becomes record reading; anything else becomes
"Other" with the text kept in ``course_note``. Nothing is lost: where two entries for one
person on one day would become the same course, the second keeps its text in the note.
The data step runs while the column is still wide, before it is narrowed to the choice.
"""

import re

from django.db import migrations, models

LABELS = {"record_reading": "Record reading", "moderation": "Moderation"}


def course_for(text):
    words = re.sub(r"[^a-z]+", " ", (text or "").lower())
    if "moderat" in words:
        return "moderation"
    if "record" in words and "read" in words:
        return "record_reading"
    return "other"


def to_choice(apps, schema_editor):
    TrainingRecord = apps.get_model("partnerships", "TrainingRecord")
    taken = set()
    for record in TrainingRecord.objects.order_by("pk"):
        text = (record.course or "").strip()
        course = course_for(text)
        note = text if course == "other" else ""
        if course == "other" and not note:
            note = "Not recorded"
        key = (record.membership_id, course, note, record.trained_on)
        if key in taken:
            note = text  # the same course recorded twice that day: keep both, and the words
        taken.add((record.membership_id, course, note, record.trained_on))
        record.course, record.course_note = course, note[:200]
        record.save(update_fields=["course", "course_note"])


def to_text(apps, schema_editor):
    TrainingRecord = apps.get_model("partnerships", "TrainingRecord")
    for record in TrainingRecord.objects.order_by("pk"):
        record.course = record.course_note or LABELS.get(record.course, record.course)
        record.save(update_fields=["course"])


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="trainingrecord",
            name="one_training_record_per_day",
        ),
        migrations.AddField(
            model_name="trainingrecord",
            name="course_note",
            field=models.CharField(
                blank=True,
                help_text="What the course was, when it is none of the courses listed.",
                max_length=200,
            ),
        ),
        migrations.RunPython(to_choice, to_text),
        migrations.AlterField(
            model_name="trainingrecord",
            name="course",
            field=models.CharField(
                choices=[
                    ("record_reading", "Record reading"),
                    ("moderation", "Moderation"),
                    ("other", "Other"),
                ],
                default="record_reading",
                max_length=20,
            ),
        ),
        migrations.AddConstraint(
            model_name="trainingrecord",
            constraint=models.UniqueConstraint(
                fields=("membership", "course", "course_note", "trained_on"),
                name="one_training_record_per_day",
            ),
        ),
    ]
