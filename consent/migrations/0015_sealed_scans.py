"""Seal the scans of paper forms stored in plain before the vault, each under a data key of its own
(common/vault.py; consent/scans.py). Needs the master key (README, "Keys")."""

from django.db import migrations


def _scans(apps):
    from pathlib import Path

    from django.conf import settings

    ConsentDecision = apps.get_model("consent", "ConsentDecision")
    root = Path(settings.PRIVATE_STORAGE_ROOT) / "consent-scans"
    for name in ConsentDecision.objects.exclude(scan_name="").values_list("scan_name", flat=True).distinct():
        yield name, root / name


def seal_scans(apps, schema_editor):
    from common import vault

    for name, path in _scans(apps):
        if path.is_file() and not vault.is_sealed_bytes(path.read_bytes()[:32]):
            vault.file_seal_in_place(path, key_id=vault.data_key_create(), context=f"consent-scan.{name}")


def unseal_scans(apps, schema_editor):
    from common import vault

    for name, path in _scans(apps):
        vault.file_unseal_in_place(path, context=f"consent-scan.{name}")


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0014_consent_text_change_rounds"),
    ]

    operations = [migrations.RunPython(seal_scans, unseal_scans)]
