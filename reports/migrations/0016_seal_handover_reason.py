"""Seal what was stored in plain text (common/vault.py). Its own migration, so on PostgreSQL the rows
it changes are committed before (or, going back, after) 0015 alters their table."""

from django.db import migrations

# A vertrouwenspersoon's reason for handing a case on is sealed under its case's data key.
SEALED = [
    (
        "reports_casehandover",
        ["reason"],
        "SELECT h.id, c.data_key FROM reports_casehandover h JOIN reports_case c ON c.id = h.case_id",
    ),
]


def seal_content(apps, schema_editor):
    from common import vault

    for table, columns, keys_sql in SEALED:
        vault.table_seal(schema_editor.connection, table=table, columns=columns, keys_sql=keys_sql)


def unseal_content(apps, schema_editor):
    from common import vault

    for table, columns, _keys_sql in SEALED:
        vault.table_unseal(schema_editor.connection, table=table, columns=columns)


class Migration(migrations.Migration):
    dependencies = [("reports", "0015_sealed_handover_reason")]

    operations = [migrations.RunPython(seal_content, unseal_content)]
