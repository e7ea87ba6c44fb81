"""Evidence gets a name the portal chooses; the reporter's original file name goes, everywhere.

Existing files are numbered per case in the order they came in (``melding-2026-00012-3.jpg``), and
the timeline entries that quoted the original name (a file received, a file opened) now show the
portal's name instead. AVG art. 5(1)(c): a file name can name a phone or a person and is not needed.
"""

from django.db import migrations, models

EXTENSIONS = {"pdf": ".pdf", "text": ".txt"}


def _extension(item) -> str:
    if item.kind == "image":
        return ".jpg" if item.content_type == "image/jpeg" else ".png"
    return EXTENSIONS.get(item.kind, ".txt")


def name_evidence(apps, schema_editor):
    Evidence = apps.get_model("reports", "Evidence")
    TimelineEntry = apps.get_model("reports", "TimelineEntry")
    names: dict[int, str] = {}
    sequences: dict[int, int] = {}
    items = Evidence.objects.select_related("report__case").order_by("report__case_id", "uploaded_at", "pk")
    for item in items.iterator():
        case = item.report.case
        sequences[case.pk] = sequences.get(case.pk, 0) + 1
        number = f"{case.created_at:%Y}-{case.pk:05d}"  # Case.number
        names[item.pk] = f"melding-{number}-{sequences[case.pk]}{_extension(item)}"
        Evidence.objects.filter(pk=item.pk).update(file_name=names[item.pk])
    entries = TimelineEntry.objects.filter(kind__in=["evidence", "view"], data__has_key="evidence_id")
    for entry in entries.only("pk", "data").iterator():
        # A file already removed (an anonymised case) leaves no name behind either.
        TimelineEntry.objects.filter(pk=entry.pk).update(summary=names.get(entry.data.get("evidence_id"), ""))


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0005_receipt_handover_and_submission_digest"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="file_name",
            field=models.CharField(default="", max_length=80, verbose_name="bestandsnaam"),
            preserve_default=False,
        ),
        migrations.RemoveField(
            model_name="evidence",
            name="original_name",
        ),
        migrations.RunPython(name_evidence, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="evidence",
            name="file_name",
            field=models.CharField(max_length=80, unique=True, verbose_name="bestandsnaam"),
        ),
    ]
