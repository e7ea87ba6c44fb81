"""Version 1 of the protocol, so a fresh install shows it (recorded as adopted, July 2020)."""

from django.db import migrations

from policy.version_1 import install_version_1


def create_version_1(apps, schema_editor):
    install_version_1(apps.get_model("policy", "ProtocolVersion"), apps.get_model("policy", "ProtocolVersionEvent"))


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]

    operations = [migrations.RunPython(create_version_1, migrations.RunPython.noop)]
