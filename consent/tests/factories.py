from __future__ import annotations

from consent.form_v1 import version_1_defaults
from consent.models import ConsentForm


def current_form() -> ConsentForm:
    """Version 1, as the data migration installs it (again after a transactional test's flush)."""
    return ConsentForm.objects.get_or_create(version=1, defaults=version_1_defaults())[0]


def all_yes(form: ConsentForm) -> dict:
    return {p: dict.fromkeys(form.medium_codes, True) for p in form.purpose_codes}
