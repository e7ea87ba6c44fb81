"""Rotate the master key: every data key in the key store is wrapped anew; sealed content is untouched.

README, "Keys": with a key file, ``--new-key`` puts a new key first (the old lines stay, so every
data key still opens while it runs) and ``--retire-old`` drops the old lines once all is re-wrapped.
With SKOW_MASTER_KEY, ``--print-new`` prints a key line; set ``new,old`` and run this command, then
set only the new one.
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common import vault


class Command(BaseCommand):
    help = "Wrap every data key with the current (first) master key; --new-key makes one first."

    def add_arguments(self, parser):
        parser.add_argument("--print-new", action="store_true", help="Print a new master key line and stop.")
        parser.add_argument(
            "--new-key", action="store_true", help="Put a new master key first in SKOW_MASTER_KEY_FILE, then re-wrap."
        )
        parser.add_argument(
            "--retire-old", action="store_true", help="After re-wrapping, remove the older keys from the key file."
        )

    def handle(self, *args, print_new=False, new_key=False, retire_old=False, **options):
        if print_new:
            self.stdout.write(vault.master_key_line())
            return
        path = vault.master_key_file()
        from_file = not self._from_environment()
        if (new_key or retire_old) and not (from_file and path is not None):
            raise CommandError(
                _(
                    "De hoofdsleutel staat in SKOW_MASTER_KEY: zet daar 'nieuw,oud' in (--print-new geeft een "
                    "nieuwe) en draai deze opdracht dan zonder --new-key of --retire-old."
                )
            )
        if new_key:
            lines = path.read_text().splitlines() if path.exists() else []
            self._write_key_file(path, [vault.master_key_line(), *lines])
        current_id = vault.master_keys()[0][0]
        rewrapped, unchanged = vault.data_keys_rewrap()
        self.stdout.write(
            _("%(rewrapped)d gegevenssleutel(s) opnieuw verpakt, %(unchanged)d stond(en) al onder sleutel %(key)s.")
            % {"rewrapped": rewrapped, "unchanged": unchanged, "key": current_id}
        )
        if retire_old:
            lines = path.read_text().splitlines()
            self._write_key_file(
                path, [line for line in lines if not self._is_key_line(line) or self._is_current(line, current_id)]
            )
            self.stdout.write(_("Oude hoofdsleutels verwijderd uit %(path)s.") % {"path": path})
        else:
            older = [key_id for key_id, _key in vault.master_keys()[1:]]
            if older:
                self.stdout.write(
                    _("Geen gegevenssleutel gebruikt nog %(keys)s: die mogen nu weg.") % {"keys": ", ".join(older)}
                )

    @staticmethod
    def _from_environment() -> bool:
        from django.conf import settings

        return bool(settings.VAULT_MASTER_KEY)

    @staticmethod
    def _is_key_line(line: str) -> bool:
        stripped = line.strip()
        return bool(stripped) and not stripped.startswith("#")

    @staticmethod
    def _is_current(line: str, current_id: str) -> bool:
        return line.strip().startswith(f"{current_id}:")

    @staticmethod
    def _write_key_file(path, lines: list[str]) -> None:
        temporary = path.with_name(f".{path.name}.new")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write("\n".join(lines) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
