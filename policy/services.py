"""The versioned Protocol Sociale Media: drafts, (G)MR consent, board adoption, taking effect, read receipts.

Who may take which step is policy/access.py (on the table in policy/lifecycle.py). A service refuses
with ``ActionRefused`` when the person or the version's status does not allow the step, and with
``ValidationError`` (naming the field) when a typed value is missing or wrong, such as a date.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import User
from common.refusals import ActionRefused
from notifications.services import notification_send

from . import selectors
from .access import may_acknowledge_protocol, may_draft, may_take_step
from .articles import parse
from .constants import REMINDER_DAYS, VersionStatus
from .models import Acknowledgement, AcknowledgementReminder, ProtocolVersion, ProtocolVersionEvent

S = VersionStatus


def _day(day: datetime.date | None) -> str:
    return date_format(day, "j F Y") if day else ""


def _people_with(role: str):
    return User.objects.filter(role_assignments__role=role, is_active=True).distinct()


def _step(*, version: ProtocolVersion, to_status: str, by: User | None, note: str = "") -> None:
    """Check the transition table, then move ``version`` and record the step.

    Caller holds select_for_update on ``version`` and has set the fields that go with the step.
    """
    from_status = version.status
    if not may_take_step(user=by, version=version, to_status=to_status):
        raise ActionRefused(_("U mag deze stap niet zetten."))
    version.status = to_status
    version.save()
    ProtocolVersionEvent.objects.create(
        version=version, from_status=from_status, to_status=to_status, by=by, at=timezone.now(), note=note
    )


def _locked(version: ProtocolVersion) -> ProtocolVersion:
    return ProtocolVersion.objects.select_for_update().get(pk=version.pk)


def _expect(version: ProtocolVersion, *statuses: str, message: str) -> None:
    if version.status not in statuses:
        raise ActionRefused(message)


def _check_text(*, body: str, change_note: str) -> None:
    errors = {}
    if not change_note.strip():
        errors["change_note"] = _("Beschrijf kort wat er verandert; medewerkers lezen dit als eerste.")
    if not any(section.articles or section.intro for section in parse(body)):
        errors["body"] = _("De tekst van het protocol is leeg.")
    if errors:
        raise ValidationError(errors)


# Drafts -----------------------------------------------------------------------------------------


def protocol_draft_create(*, by: User, change_note: str, based_on: ProtocolVersion | None = None) -> ProtocolVersion:
    """A new draft, copied from the version in force (or from a refused draft, to amend and resubmit)."""
    if not may_draft(by):
        raise ActionRefused(_("Alleen het bestuur en functioneel beheer schrijven concepten."))
    based_on = ProtocolVersion.objects.get(pk=based_on.pk) if based_on else selectors.protocol_version_in_force()
    if based_on is None or based_on.status not in (S.IN_FORCE, S.COUNCIL_REFUSED):
        raise ActionRefused(_("Een concept begint bij de geldende versie of bij een geweigerd concept."))
    _check_text(body=based_on.body, change_note=change_note)
    with transaction.atomic():
        draft = ProtocolVersion.objects.create(
            title=based_on.title,
            body=based_on.body,
            explanation=based_on.explanation,
            summary_for_parents=based_on.summary_for_parents,
            change_note=change_note.strip(),
            based_on=based_on,
            created_by=by,
        )
        ProtocolVersionEvent.objects.create(version=draft, to_status=S.DRAFT, by=by, at=timezone.now())
    return draft


def protocol_draft_update(
    *,
    version: ProtocolVersion,
    by: User,
    title: str,
    body: str,
    explanation: str,
    summary_for_parents: str,
    change_note: str,
) -> ProtocolVersion:
    """Change a draft's text; the text is frozen once it is submitted to the (G)MR."""
    if not may_draft(by):
        raise ActionRefused(_("Alleen het bestuur en functioneel beheer schrijven concepten."))
    _check_text(body=body, change_note=change_note)
    with transaction.atomic():
        version = _locked(version)
        _expect(version, S.DRAFT, message=_("De tekst ligt vast zodra het concept aan de (G)MR is voorgelegd."))
        version.title = title.strip() or version.title
        version.body = body
        version.explanation = explanation
        version.summary_for_parents = summary_for_parents
        version.change_note = change_note.strip()
        version.save()
    return version


# The lifecycle ----------------------------------------------------------------------------------


def protocol_version_submit(*, version: ProtocolVersion, by: User) -> ProtocolVersion:
    """Submit a draft to the (G)MR for consent (WMS art. 10); tell the (G)MR secretary."""
    with transaction.atomic():
        version = _locked(version)
        _expect(version, S.DRAFT, message=_("Alleen een concept kan aan de (G)MR worden voorgelegd."))
        _check_text(body=version.body, change_note=version.change_note)
        version.submitted_at = timezone.now()
        _step(version=version, to_status=S.SUBMITTED, by=by)
        for secretary in _people_with(Role.COUNCIL_SECRETARY):
            notification_send(
                template="policy/email/submitted",
                context={"version": str(version)},
                recipient=secretary,
                link=reverse("policy:draft", args=[version.pk]),
            )
    return version


def _check_council_date(version: ProtocolVersion, decided_on: datetime.date) -> None:
    if decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("De datum van het besluit kan niet in de toekomst liggen.")})
    if version.submitted_at and decided_on < timezone.localdate(version.submitted_at):
        raise ValidationError({"decided_on": _("De (G)MR kan niet besluiten vóór het voorleggen.")})


def protocol_version_council_consent(
    *, version: ProtocolVersion, by: User, decided_on: datetime.date, minutes_reference: str
) -> ProtocolVersion:
    """Record the (G)MR's consent (date, minutes); tell the board it may now adopt."""
    if not minutes_reference.strip():
        raise ValidationError({"minutes_reference": _("Vermeld waar het besluit staat (notulen).")})
    with transaction.atomic():
        version = _locked(version)
        _expect(version, S.SUBMITTED, message=_("Dit concept ligt niet voor bij de (G)MR."))
        if not may_take_step(user=by, version=version, to_status=S.COUNCIL_CONSENTED):
            raise ActionRefused(_("Alleen de secretaris van de (G)MR legt besluiten van de (G)MR vast."))
        _check_council_date(version, decided_on)
        version.council_decided_on = decided_on
        version.council_minutes_reference = minutes_reference.strip()
        version.council_recorded_by = by
        _step(version=version, to_status=S.COUNCIL_CONSENTED, by=by, note=version.council_minutes_reference)
        for member in _people_with(Role.BOARD):
            notification_send(
                template="policy/email/council_consented",
                context={"version": str(version), "decided_on": _day(decided_on)},
                recipient=member,
                link=reverse("policy:draft", args=[version.pk]),
            )
    return version


def protocol_version_council_refuse(
    *, version: ProtocolVersion, by: User, decided_on: datetime.date, minutes_reference: str, reasons: str
) -> ProtocolVersion:
    """Record that the (G)MR withheld consent, with its reasons; tell the board."""
    if not reasons.strip():
        raise ValidationError({"reasons": _("Een weigering vermeldt de redenen van de (G)MR.")})
    with transaction.atomic():
        version = _locked(version)
        _expect(version, S.SUBMITTED, message=_("Dit concept ligt niet voor bij de (G)MR."))
        if not may_take_step(user=by, version=version, to_status=S.COUNCIL_REFUSED):
            raise ActionRefused(_("Alleen de secretaris van de (G)MR legt besluiten van de (G)MR vast."))
        _check_council_date(version, decided_on)
        version.council_decided_on = decided_on
        version.council_minutes_reference = minutes_reference.strip()
        version.council_refusal_reasons = reasons.strip()
        version.council_recorded_by = by
        _step(version=version, to_status=S.COUNCIL_REFUSED, by=by, note=version.council_refusal_reasons)
        for member in _people_with(Role.BOARD):
            notification_send(
                template="policy/email/council_refused",
                context={"version": str(version), "decided_on": _day(decided_on)},
                recipient=member,
                link=reverse("policy:draft", args=[version.pk]),
            )
    return version


def protocol_version_adopt(
    *, version: ProtocolVersion, by: User, adopted_on: datetime.date, effective_from: datetime.date
) -> ProtocolVersion:
    """The board adopts a version the (G)MR consented to; it takes effect now if its date has come.

    WMS art. 10: the (G)MR's consent comes first. Nothing is ever adopted by a timeout.
    """
    with transaction.atomic():
        version = _locked(version)
        if version.status in (S.DRAFT, S.SUBMITTED, S.COUNCIL_REFUSED):
            raise ActionRefused(
                _(
                    "Vaststellen kan pas na instemming van de (G)MR (WMS art. 10). "
                    "Zonder vastgelegde instemming wordt niets vastgesteld; zwijgen van de (G)MR is geen instemming."
                )
            )
        _expect(version, S.COUNCIL_CONSENTED, message=_("Deze versie is al vastgesteld."))
        if not may_take_step(user=by, version=version, to_status=S.ADOPTED):
            raise ActionRefused(_("Alleen het bestuur stelt het protocol vast."))
        errors = {}
        if adopted_on > timezone.localdate():
            errors["adopted_on"] = _("De datum van vaststelling kan niet in de toekomst liggen.")
        elif adopted_on < version.council_decided_on:
            errors["adopted_on"] = _("Vaststellen kan niet vóór de instemming van de (G)MR (%(day)s).") % {
                "day": _day(version.council_decided_on)
            }
        if effective_from < adopted_on:
            errors["effective_from"] = _("De ingangsdatum ligt op of na de datum van vaststelling.")
        if errors:
            raise ValidationError(errors)
        version.number = (ProtocolVersion.objects.aggregate(n=Max("number"))["n"] or 0) + 1
        version.adopted_on = adopted_on
        version.adopted_by = by
        version.adopted_by_name = str(by)
        version.effective_from = effective_from
        _step(version=version, to_status=S.ADOPTED, by=by)
        if effective_from <= timezone.localdate():
            version = protocol_version_take_effect(version=version)
    return version


def protocol_version_take_effect(*, version: ProtocolVersion) -> ProtocolVersion:
    """An adopted version takes effect: the one in force is superseded, staff asked to read it.

    Idempotent: a version already in force is left alone.
    """
    with transaction.atomic():
        version = _locked(version)
        if version.status == S.IN_FORCE:
            return version
        _expect(version, S.ADOPTED, message=_("Alleen een vastgestelde versie kan in werking treden."))
        now = timezone.now()
        for old in ProtocolVersion.objects.select_for_update().filter(status=S.IN_FORCE):
            old.superseded_at = now
            _step(version=old, to_status=S.SUPERSEDED, by=None, note=str(version))
        version.in_force_since = now
        _step(version=version, to_status=S.IN_FORCE, by=None)
        # CAO PO art. 11.2: the rules count once the employer has provided them.
        for member in selectors.staff_not_acknowledged(version=version):
            notification_send(
                template="policy/email/in_force",
                context={"version": str(version), "effective_from": _day(version.effective_from)},
                recipient=member,
                link=reverse("policy:acknowledge"),
                bulk=True,  # to all staff at once
            )
    return version


def protocol_versions_take_effect_due(*, today: datetime.date | None = None) -> list[ProtocolVersion]:
    """Every adopted version whose date has come takes effect, oldest first (Celery beat, hourly)."""
    today = today or timezone.localdate()
    due = ProtocolVersion.objects.filter(status=S.ADOPTED, effective_from__lte=today).order_by(
        "effective_from", "number"
    )
    return [protocol_version_take_effect(version=version) for version in due]


# Read receipts ----------------------------------------------------------------------------------


def protocol_acknowledge(*, version: ProtocolVersion, staff_member: User) -> Acknowledgement:
    """A staff member confirms having read the version in force; a second click changes nothing."""
    if not may_acknowledge_protocol(staff_member):
        raise ActionRefused(_("Alleen medewerkers bevestigen dat zij het protocol hebben gelezen."))
    if version.status != S.IN_FORCE:
        raise ActionRefused(_("U bevestigt het lezen van de versie die nu geldt."))
    acknowledgement, _created = Acknowledgement.objects.get_or_create(
        version=version, staff_member=staff_member, defaults={"acknowledged_at": timezone.now()}
    )
    return acknowledgement


def protocol_acknowledgement_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind staff who have not acknowledged, 7 and 14 days after the version took effect; once per stage."""
    now = now or timezone.now()
    version = ProtocolVersion.objects.filter(status=S.IN_FORCE).first()
    if version is None or version.in_force_since is None:
        return 0
    sent = 0
    for days in REMINDER_DAYS:
        if now < version.in_force_since + datetime.timedelta(days=days):
            continue
        already = AcknowledgementReminder.objects.filter(version=version, after_days=days).values("staff_member_id")
        for member in selectors.staff_not_acknowledged(version=version).exclude(pk__in=already):
            with transaction.atomic():
                AcknowledgementReminder.objects.create(
                    version=version, staff_member=member, after_days=days, sent_at=now
                )
                notification_send(
                    template="policy/email/reminder",
                    context={"version": str(version), "days": days},
                    recipient=member,
                    link=reverse("policy:acknowledge"),
                    bulk=True,  # to all staff who have not acknowledged
                )
            sent += 1
    return sent
