from __future__ import annotations

from consent.form_v1 import version_1_defaults, version_1_english
from consent.models import ConsentForm, ConsentFormTranslation


def current_form() -> ConsentForm:
    """Version 1 with its English text, as the data migrations install them (again after a flush)."""
    form = ConsentForm.objects.get_or_create(version=1, defaults=version_1_defaults())[0]
    english = version_1_english()
    ConsentFormTranslation.objects.get_or_create(form=form, language=english.pop("language"), defaults=english)
    return form


def all_yes(form: ConsentForm) -> dict:
    return {p: dict.fromkeys(form.medium_codes, True) for p in form.purpose_codes}
