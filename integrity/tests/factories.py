"""Test data of the staff channel: officers and reports made through the services."""

from __future__ import annotations

import secrets

from django.utils import timezone

from integrity import services
from integrity.models import IntegrityOfficer, MisstandReport


def officer(user, *, by, is_external: bool = False) -> IntegrityOfficer:
    """Designate ``user`` (as the board member ``by`` would)."""
    return IntegrityOfficer.objects.create(
        user=user, is_external=is_external, designated_on=timezone.localdate(), designated_by=by
    )


def misstand(*, named=(), description: str = "Facturen worden dubbel betaald aan een bevriend bedrijf.", **kwargs):
    """A report filed through the form; returns (report, receipt code)."""
    return services.misstand_submit(
        description=description, named=list(named), submission_key=secrets.token_urlsafe(16), **kwargs
    )


def misstand_report(**kwargs) -> MisstandReport:
    return misstand(**kwargs)[0]
