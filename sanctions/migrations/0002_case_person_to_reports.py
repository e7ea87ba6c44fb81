"""Whom a case is about (CasePerson) moves to reports, which owns the case file.

reports' 0007_case_person created the new table; this copies every row into it with its id, so
anything that named a row by id still names the same row, sets the id sequence past the highest
copied id (PostgreSQL), and drops sanctions' table. Backwards it copies the rows back the same way.
"""

from django.core.management.color import no_style
from django.db import migrations

FIELDS = ("id", "case_id", "subject_kind", "staff_member_id", "pupil_id", "parent_id", "added_by_id", "added_at")


def _copy(source, target, schema_editor) -> None:
    rows = source.objects.using(schema_editor.connection.alias).order_by("pk").values(*FIELDS)
    target.objects.using(schema_editor.connection.alias).bulk_create(
        (target(**row) for row in rows.iterator(chunk_size=1000)), batch_size=1000
    )
    # Rows were written with their ids: the next new row must not reuse one (SQLite does this itself).
    statements = schema_editor.connection.ops.sequence_reset_sql(no_style(), [target])
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def to_reports(apps, schema_editor) -> None:
    _copy(apps.get_model("sanctions", "CasePerson"), apps.get_model("reports", "CasePerson"), schema_editor)


def back_to_sanctions(apps, schema_editor) -> None:
    _copy(apps.get_model("reports", "CasePerson"), apps.get_model("sanctions", "CasePerson"), schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("sanctions", "0001_initial"),
        ("reports", "0007_case_person"),
    ]

    operations = [
        migrations.RunPython(to_reports, back_to_sanctions),
        migrations.DeleteModel(name="CasePerson"),
    ]
