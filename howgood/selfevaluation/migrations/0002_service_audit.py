"""A single service's audit or evaluation on the register is a ServiceAudit (it was an
AuditRecord: "audit" in code now means the audit trail or one of these, "record" the records app)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("selfevaluation", "0001_initial"),
    ]

    operations = [
        migrations.RenameModel(old_name="AuditRecord", new_name="ServiceAudit"),
        migrations.RenameModel(old_name="AuditFinding", new_name="ServiceAuditFinding"),
        migrations.AlterField(
            model_name="serviceaudit",
            name="partnership",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="service_audits",
                to="partnerships.partnership",
            ),
        ),
    ]
