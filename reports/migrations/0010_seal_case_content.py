"""Seal what was stored in plain text (common/vault.py). Its own migration, so on PostgreSQL the rows
it changes are committed before (or, going back, after) 0008 alters their tables."""

from django.db import migrations


# Seal what was stored in plain text (common/vault.py): every case gets a data key, every text and
# evidence file of it is sealed under that key. Needs the master key (README, "Keys").
REPORT_TEXTS = ["description", "involved_names", "reporter_name", "reporter_email", "reporter_phone"]
SEALED = [
    ("reports_report", REPORT_TEXTS, "SELECT r.id, c.data_key FROM reports_report r JOIN reports_case c ON c.id = r.case_id"),
    (
        "reports_reportmessage",
        ["body"],
        "SELECT m.id, c.data_key FROM reports_reportmessage m JOIN reports_report r ON r.id = m.report_id"
        " JOIN reports_case c ON c.id = r.case_id",
    ),
    ("reports_timelineentry", ["summary", "with_whom"], "SELECT t.id, c.data_key FROM reports_timelineentry t JOIN reports_case c ON c.id = t.case_id"),
    (
        "reports_caseaccesswithdrawal",
        ["reason"],
        "SELECT w.id, c.data_key FROM reports_caseaccesswithdrawal w JOIN reports_case c ON c.id = w.case_id",
    ),
]


def seal_case_content(apps, schema_editor):
    from pathlib import Path

    from django.conf import settings

    from common import vault

    Case = apps.get_model("reports", "Case")
    Evidence = apps.get_model("reports", "Evidence")
    for case in Case.objects.filter(data_key="").only("pk"):
        Case.objects.filter(pk=case.pk).update(data_key=vault.data_key_create())
    # With whom a conversation was held: out of the (unsealed) data, into its own sealed column.
    TimelineEntry = apps.get_model("reports", "TimelineEntry")
    with schema_editor.connection.cursor() as cursor:
        for pk, data in TimelineEntry.objects.filter(data__has_key="with_whom").values_list("pk", "data"):
            cursor.execute("UPDATE reports_timelineentry SET with_whom = %s WHERE id = %s", [data["with_whom"], pk])
            TimelineEntry.objects.filter(pk=pk).update(data={k: v for k, v in data.items() if k != "with_whom"})
    for table, columns, keys_sql in SEALED:
        vault.table_seal(schema_editor.connection, table=table, columns=columns, keys_sql=keys_sql)
    root = Path(settings.EVIDENCE_ROOT)
    for stored_name, key_id in Evidence.objects.values_list("stored_name", "report__case__data_key"):
        vault.file_seal_in_place(root / stored_name, key_id=key_id, context=f"reports_evidence.file.{stored_name}")


def unseal_case_content(apps, schema_editor):
    from pathlib import Path

    from django.conf import settings

    from common import vault

    Evidence = apps.get_model("reports", "Evidence")
    TimelineEntry = apps.get_model("reports", "TimelineEntry")
    for table, columns, _keys_sql in SEALED:
        vault.table_unseal(schema_editor.connection, table=table, columns=columns)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT id, with_whom FROM reports_timelineentry WHERE with_whom <> ''")
        for pk, with_whom in cursor.fetchall():
            entry = TimelineEntry.objects.get(pk=pk)
            TimelineEntry.objects.filter(pk=pk).update(data={**entry.data, "with_whom": with_whom})
    root = Path(settings.EVIDENCE_ROOT)
    for stored_name in Evidence.objects.values_list("stored_name", flat=True):
        vault.file_unseal_in_place(root / stored_name, context=f"reports_evidence.file.{stored_name}")



class Migration(migrations.Migration):
    dependencies = [("reports", "0009_sealed_case_content")]

    operations = [migrations.RunPython(seal_case_content, unseal_case_content)]
