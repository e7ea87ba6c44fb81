"""Version 1 without invented dates (only recorded facts are published).

A fresh installation gets version 1 in force, marked as adopted before the portal, with its (G)MR
consent and adoption dates blank until the board records them. An installation of an earlier
release, whose migration filled those blanks with "23 juni 2020" and "1 juli 2020", loses exactly
those invented values and steps (anything a person recorded is kept); the board is then asked to
record the real dates, and until it has, the public page says they are not yet recorded.
Demonstration sites get their demo dates back from the next ``seed_demo`` (marked "(demo)").
"""

from django.db import migrations

from policy.version_1 import clear_invented_dates, install_version_1


def version_1_without_invented_dates(apps, schema_editor):
    ProtocolVersion = apps.get_model("policy", "ProtocolVersion")
    ProtocolVersionEvent = apps.get_model("policy", "ProtocolVersionEvent")
    if ProtocolVersion.objects.filter(number=1).exists():
        clear_invented_dates(ProtocolVersion, ProtocolVersionEvent)
    else:
        install_version_1(ProtocolVersion, ProtocolVersionEvent)


class Migration(migrations.Migration):
    dependencies = [("policy", "0003_version_history_carry_over_and_reminders")]

    operations = [migrations.RunPython(version_1_without_invented_dates, migrations.RunPython.noop)]
