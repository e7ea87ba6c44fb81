"""Seal what was stored in plain text (common/vault.py). Its own migration, so on PostgreSQL the rows
it changes are committed before (or, going back, after) 0002 alters their tables."""

from django.db import migrations

# Every question gets its own data key; the thread's messages are sealed under it.
SEALED = [
    (
        "consultations_consultationmessage",
        ["body"],
        "SELECT m.id, c.data_key FROM consultations_consultationmessage m"
        " JOIN consultations_consultation c ON c.id = m.consultation_id",
    ),
]


def seal_content(apps, schema_editor):
    from common import vault

    Consultation = apps.get_model("consultations", "Consultation")
    for pk in Consultation.objects.filter(data_key="").values_list("pk", flat=True):
        Consultation.objects.filter(pk=pk).update(data_key=vault.data_key_create())
    for table, columns, keys_sql in SEALED:
        vault.table_seal(schema_editor.connection, table=table, columns=columns, keys_sql=keys_sql)


def unseal_content(apps, schema_editor):
    from common import vault

    for table, columns, _keys_sql in SEALED:
        vault.table_unseal(schema_editor.connection, table=table, columns=columns)


class Migration(migrations.Migration):
    dependencies = [("consultations", "0002_sealed_content")]

    operations = [migrations.RunPython(seal_content, unseal_content)]
