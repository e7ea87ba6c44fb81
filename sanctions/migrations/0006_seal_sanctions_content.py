"""Seal what was stored in plain text (common/vault.py). Its own migration, so on PostgreSQL the rows
it changes are committed before (or, going back, after) 0003 alters their tables."""

from django.db import migrations


# Seal what was stored in plain text under the case's data key (common/vault.py), and take the text
# of a board decision out of the timeline's data (it stays, sealed, on the measure).
SEALED = [
    ("sanctions_measure", ["reason", "decision_note"], "SELECT m.id, c.data_key FROM sanctions_measure m JOIN reports_case c ON c.id = m.case_id"),
    (
        "sanctions_staffconductfinding",
        ["reason"],
        "SELECT f.id, c.data_key FROM sanctions_staffconductfinding f JOIN reports_case c ON c.id = f.case_id",
    ),
    (
        "sanctions_escalation",
        ["contact_by", "notes", "reference"],
        "SELECT e.id, c.data_key FROM sanctions_escalation e JOIN reports_case c ON c.id = e.case_id",
    ),
    (
        "sanctions_safehomesteprecord",
        ["notes"],
        "SELECT s.id, c.data_key FROM sanctions_safehomesteprecord s JOIN sanctions_escalation e ON e.id = s.escalation_id"
        " JOIN reports_case c ON c.id = e.case_id",
    ),
]


def seal_sanctions_content(apps, schema_editor):
    from common import vault

    for table, columns, keys_sql in SEALED:
        vault.table_seal(schema_editor.connection, table=table, columns=columns, keys_sql=keys_sql)
    TimelineEntry = apps.get_model("reports", "TimelineEntry")
    for entry in TimelineEntry.objects.filter(data__has_key="note").only("pk", "data"):
        data = {key: value for key, value in entry.data.items() if key != "note"}
        TimelineEntry.objects.filter(pk=entry.pk).update(data=data)


def unseal_sanctions_content(apps, schema_editor):
    from common import vault

    for table, columns, _keys_sql in SEALED:
        vault.table_unseal(schema_editor.connection, table=table, columns=columns)



class Migration(migrations.Migration):
    dependencies = [("sanctions", "0005_sealed_case_content"), ("reports", "0010_seal_case_content")]

    operations = [migrations.RunPython(seal_sanctions_content, unseal_sanctions_content)]
