"""Formerly installed version 1 with dates nobody had recorded; now migration 0004 installs it.

Kept as an empty step so installations that ran it keep a consistent migration history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial")]

    operations = []
