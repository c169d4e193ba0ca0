from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0003_reading_last_tab"),
    ]

    operations = [
        migrations.AddField(
            model_name="reading",
            name="last_tab_finished",
            field=models.BooleanField(default=False),
        ),
    ]
