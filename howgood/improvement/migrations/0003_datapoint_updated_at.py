import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("improvement", "0002_action_areas")]

    operations = [
        migrations.AddField(
            model_name="datapoint",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, default=django.utils.timezone.now),
            preserve_default=False,
        ),
    ]
