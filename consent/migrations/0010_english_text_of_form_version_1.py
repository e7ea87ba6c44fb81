"""The English text of consent form version 1, for English-speaking families (the Dutch stays the reference)."""

from django.db import migrations

from consent.form_v1 import version_1_english


def create_english_text(apps, schema_editor):
    ConsentForm = apps.get_model("consent", "ConsentForm")
    ConsentFormTranslation = apps.get_model("consent", "ConsentFormTranslation")
    form = ConsentForm.objects.filter(version=1).first()
    if form is None:
        return
    english = version_1_english()
    ConsentFormTranslation.objects.get_or_create(form=form, language=english.pop("language"), defaults=english)


class Migration(migrations.Migration):
    dependencies = [("consent", "0009_form_translations_and_decision_language")]

    operations = [migrations.RunPython(create_english_text, migrations.RunPython.noop)]
