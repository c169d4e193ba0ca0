"""A strength or area for improvement drawn from the findings is a Conclusion (it was a
FindingStatement: "statement" now means only the inspection and position statements)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0004_reading_last_tab_finished"),
        ("improvement", "0002_action_areas"),
    ]

    operations = [
        migrations.RenameModel(old_name="FindingStatement", new_name="Conclusion"),
        migrations.AlterField(
            model_name="conclusion",
            name="exercise",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="conclusions",
                to="records.exercise",
            ),
        ),
    ]
