"""What README tells a newcomer to type works as written."""

from __future__ import annotations

import re
from pathlib import Path

import environ
from django.core.mail import get_connection, send_mail

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_filemail_example_is_an_absolute_path_and_e_mails_land_there(tmp_path):
    (example,) = re.findall(r"`(filemail://[^`]+)`", README.read_text())
    config = environ.Env.email_url_config(example)
    documented = Path(config["EMAIL_FILE_PATH"])
    assert documented.is_absolute() and str(documented) == "/var/tmp/skow-mail"
    # The same form of URL, pointed at a scratch directory, delivers an e-mail there.
    here = environ.Env.email_url_config(example.replace("/var/tmp/skow-mail", str(tmp_path)))
    assert Path(here["EMAIL_FILE_PATH"]) == tmp_path
    connection = get_connection(here["EMAIL_BACKEND"], file_path=here["EMAIL_FILE_PATH"])
    send_mail("Test", "Hallo", "portal@skow.nl", ["ouder@example.nl"], connection=connection)
    (written,) = tmp_path.iterdir()
    assert "Subject: Test" in written.read_text()
