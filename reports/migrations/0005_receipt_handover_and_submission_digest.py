"""Receipt codes reach the thank-you page through the database (sealed), and the form's submission
key is kept only as a hash: nothing the reporter's browser held can be matched to a report."""

import hashlib

import django.utils.timezone
from django.db import migrations, models


def hash_submission_keys(apps, schema_editor):
    Report = apps.get_model("reports", "Report")
    for report in Report.objects.only("pk", "submission_key").iterator():
        digest = hashlib.sha256(f"report-submission:{report.submission_key}".encode()).hexdigest()
        Report.objects.filter(pk=report.pk).update(submission_digest=digest)


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_case_subjects_and_message_kinds")]

    operations = [
        migrations.CreateModel(
            name="ReceiptHandover",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key_digest", models.CharField(max_length=64, unique=True)),
                ("sealed_code", models.CharField(max_length=128)),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
            ],
            options={"verbose_name": "ontvangstcode onderweg", "verbose_name_plural": "ontvangstcodes onderweg"},
        ),
        migrations.AddField(
            model_name="report", name="submission_digest", field=models.CharField(max_length=64, null=True)
        ),
        migrations.RunPython(hash_submission_keys, migrations.RunPython.noop),
        migrations.RemoveField(model_name="report", name="submission_key"),
        migrations.AlterField(
            model_name="report", name="submission_digest", field=models.CharField(max_length=64, unique=True)
        ),
    ]
