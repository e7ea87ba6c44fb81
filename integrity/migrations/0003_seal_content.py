"""Seal what was stored in plain text (common/vault.py). Its own migration, so on PostgreSQL the rows
it changes are committed before (or, going back, after) 0002 alters their tables."""

from django.db import migrations

# Every misstand report gets its own data key; its texts and its file's lines are sealed under it.
SEALED = [
    (
        "integrity_misstandreport",
        ["description", "people_involved", "reporter_name", "reporter_contact"],
        "SELECT id, data_key FROM integrity_misstandreport",
    ),
    (
        "integrity_misstandentry",
        ["body"],
        "SELECT e.id, r.data_key FROM integrity_misstandentry e JOIN integrity_misstandreport r ON r.id = e.report_id",
    ),
]


def seal_content(apps, schema_editor):
    from common import vault

    MisstandReport = apps.get_model("integrity", "MisstandReport")
    for pk in MisstandReport.objects.filter(data_key="").values_list("pk", flat=True):
        MisstandReport.objects.filter(pk=pk).update(data_key=vault.data_key_create())
    for table, columns, keys_sql in SEALED:
        vault.table_seal(schema_editor.connection, table=table, columns=columns, keys_sql=keys_sql)


def unseal_content(apps, schema_editor):
    from common import vault

    for table, columns, _keys_sql in SEALED:
        vault.table_unseal(schema_editor.connection, table=table, columns=columns)


class Migration(migrations.Migration):
    dependencies = [("integrity", "0002_sealed_content")]

    operations = [migrations.RunPython(seal_content, unseal_content)]
