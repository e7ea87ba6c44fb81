"""What the portal's logs may keep: no token, no query string, no client address, no browser.

Someone who holds the logs and a database dump (the hosting, a backup, the back office) must not be
able to put an address or a browser on an anonymous report, nor log in with a link found in a log.
So every line the portal writes — gunicorn's access log (``PortalLogger``, with the Procfile's format
from ``skow_portal/gunicorn_conf.py``), gunicorn's error log and Django's own logging
(``RedactingFilter`` on every handler) — passes through ``redact()``:

- the secret part of an e-mailed link's path (login, unlock, password, consent invitation) becomes ``…``;
- a query string becomes ``?…`` (it can hold search words such as a pupil's name);
- a client address (IPv4 or IPv6, loopback excepted) becomes ``[adres]``.

The access log keeps only time, method, path (redacted), status, size and duration; never the
address, the user agent, the referrer or a header (SECURITY.md, "What the logs keep").
"""

from __future__ import annotations

import ipaddress
import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

# Paths of e-mailed links: the segments after these prefixes are secrets.
TOKEN_PATHS = re.compile(
    r"(/accounts/login/link/|/accounts/login/unlock/|/consent/invitation/|/accounts/password/set/[^/\s?\"']+/)"
    r"(?!open/|sent/|set-password/)[^/\s?\"']+"
)
QUERY = re.compile(r"(\?)[^\s\"']+")
# Anything that might be an address; ipaddress decides (so "17:45:33" or "3.11" stay as they are).
ADDRESS_LIKE = re.compile(r"(?<![\w:.])[0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*(?![\w:.])")
MASK = "…"


def _mask_address(match: re.Match) -> str:
    candidate = match.group(0)
    try:
        address = ipaddress.ip_address(candidate.strip("."))
    except ValueError:
        return candidate
    return candidate if address.is_loopback else "[adres]"


def redact(text: str) -> str:
    """The text with link secrets, query strings and client addresses masked."""
    text = TOKEN_PATHS.sub(lambda match: match.group(1) + MASK, text)
    text = QUERY.sub(lambda match: match.group(1) + MASK, text)
    return ADDRESS_LIKE.sub(_mask_address, text)


class RedactingFilter(logging.Filter):
    """A logging filter that writes the record's message back redacted (args resolved first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: keep what there is, redacted
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        return True


class PortalLogger(GunicornLogger):
    """gunicorn's logger without what identifies a client: used by the Procfile's web process."""

    # Atoms that identify a client or may carry secrets; never written, whatever the format says.
    BLANKED = ("h", "u", "f", "a", "q", "r", "{x-forwarded-for}i", "{x-real-ip}i", "{user-agent}i", "{referer}i")

    def setup(self, cfg) -> None:
        super().setup(cfg)
        for handler in [*self.error_log.handlers, *self.access_log.handlers]:
            handler.addFilter(RedactingFilter())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = redact(atoms.get("U", ""))
        for name in list(atoms):
            if name.endswith(("}i", "}e")) or name in self.BLANKED:
                atoms[name] = "-"
        atoms["U"] = path
        atoms["r"] = f"{atoms.get('m', '-')} {path} {atoms.get('H', '-')}"
        return atoms
