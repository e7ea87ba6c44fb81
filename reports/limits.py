"""Limits on the reporting channel that slow a flooder and never close the channel (protocol A.9).

A school's network is one address to the portal, so a limit per address that *refuses* lets one
pupil silence a whole school. Instead, past a free allowance per hour, a request from that address
must pass a check first (accounts.throttle: a proof of work the browser solves by itself, or a
question without JavaScript). A second reporter on the same network pays a second or two once; the
flooder pays it for every report or guess. Counts live in the database, so they hold with Redis
down and add up over every web worker; they are raised before the check, atomically, so requests
sent at the same moment cannot slip more guesses through than the allowance.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings

from accounts.throttle import Challenge, busy_admit, busy_challenge, throttle_undo

INTAKE = "report-intake"
FOLLOW = "report-follow"


def intake_challenge(address: str) -> Challenge | None:
    """The check a report from ``address`` must pass now, or None while the address is quiet."""
    return busy_challenge(scope=INTAKE, client=address, free=settings.REPORT_INTAKE_FREE_PER_HOUR)


def intake_admit(address: str, data: Mapping[str, str]) -> bool:
    """Count one report from ``address``; True when it may go in (allowance left, or check passed)."""
    return busy_admit(scope=INTAKE, client=address, free=settings.REPORT_INTAKE_FREE_PER_HOUR, data=data)


def follow_challenge(address: str) -> Challenge | None:
    """The check a receipt code typed from ``address`` must pass now, or None."""
    return busy_challenge(scope=FOLLOW, client=address, free=settings.REPORT_FOLLOW_FREE_PER_HOUR)


def follow_admit(address: str, data: Mapping[str, str]) -> bool:
    """Count one code tried from ``address``; True when it may be looked up now."""
    return busy_admit(scope=FOLLOW, client=address, free=settings.REPORT_FOLLOW_FREE_PER_HOUR, data=data)


def follow_succeeded(address: str) -> None:
    """A right code is no guess: it does not count against the address."""
    throttle_undo(scope=FOLLOW, client=address)
