"""Seal what was stored in plain text (common/vault.py). Its own migration, so on PostgreSQL the rows
it changes are committed before (or, going back, after) 0002 alters their tables."""

from django.db import migrations

# Every complaint gets its own data key; its texts and its steps' notes are sealed under it.
SEALED = [
    ("complaints_complaint", ["subject", "description", "decision"], "SELECT id, data_key FROM complaints_complaint"),
    (
        "complaints_complaintentry",
        ["note"],
        "SELECT e.id, c.data_key FROM complaints_complaintentry e JOIN complaints_complaint c ON c.id = e.complaint_id",
    ),
]


def seal_content(apps, schema_editor):
    from common import vault

    Complaint = apps.get_model("complaints", "Complaint")
    for pk in Complaint.objects.filter(data_key="").values_list("pk", flat=True):
        Complaint.objects.filter(pk=pk).update(data_key=vault.data_key_create())
    for table, columns, keys_sql in SEALED:
        vault.table_seal(schema_editor.connection, table=table, columns=columns, keys_sql=keys_sql)


def unseal_content(apps, schema_editor):
    from common import vault

    for table, columns, _keys_sql in SEALED:
        vault.table_unseal(schema_editor.connection, table=table, columns=columns)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0002_sealed_content")]

    operations = [migrations.RunPython(seal_content, unseal_content)]
