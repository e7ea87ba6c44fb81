"""Version 1 of the consent form, so a fresh install can ask for consent at once (protocol A.5)."""

from django.db import migrations

from consent.form_v1 import version_1_defaults

def create_version_1(apps, schema_editor):
    ConsentForm = apps.get_model("consent", "ConsentForm")
    ConsentForm.objects.get_or_create(version=1, defaults=version_1_defaults())


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial")]

    operations = [migrations.RunPython(create_version_1, migrations.RunPython.noop)]
