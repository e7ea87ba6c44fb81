"""Seal what was stored in plain text (common/vault.py). Its own migration, so on PostgreSQL the rows
it changes are committed before (or, going back, after) 0007 alters their tables."""

from django.db import migrations

# The board's note on an ernstig incident is sealed under its case's data key.
SEALED = [
    (
        "sanctions_seriousincident",
        ["decision_note"],
        "SELECT s.id, c.data_key FROM sanctions_seriousincident s JOIN reports_case c ON c.id = s.case_id",
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
    dependencies = [("sanctions", "0008_sealed_serious_incident_note")]

    operations = [migrations.RunPython(seal_content, unseal_content)]
