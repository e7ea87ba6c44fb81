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
from django.utils.translation import ngettext

from accounts.constants import Role
from accounts.models import School, User
from common.refusals import ActionRefused
from notifications.services import notification_send

from . import selectors
from .access import (
    may_acknowledge_protocol,
    may_draft,
    may_record_version_dates,
    may_remind_staff_of,
    may_take_step,
)
from .articles import merge3, parse
from .constants import (
    CARRYABLE_STATUSES,
    DOCUMENT_TITLES,
    PUBLIC_STATUSES,
    REMIND_NOW_PAUSE_HOURS,
    REMINDER_DAYS,
    Document,
    EventKind,
    VersionStatus,
)
from .extensions import adoption_listeners
from .first_drafts import first_draft_text
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


def _check_base_is_latest(version: ProtocolVersion, *, lock: bool = False) -> None:
    """Refuse a draft whose base is no longer the newest adopted version: adopting it as it stands
    would silently undo what was adopted since (two drafts made from the same version).

    With ``lock`` the base row is locked first (caller is in a transaction): two adoptions of drafts
    on the same base then run one after the other, and the second sees the first one's number. As
    the (G)MR consented to the text *and* its difference with that base, "the base is no longer the
    newest" also covers "the base changed since the (G)MR consented".
    """
    base = selectors.protocol_draft_base(version)
    if lock and base is not None:
        base = ProtocolVersion.objects.select_for_update().get(pk=base.pk)
    latest = selectors.protocol_version_latest_adopted(document=version.document)
    if latest is not None and (base is None or base.pk != latest.pk):
        raise ActionRefused(
            _(
                "%(draft)s is gemaakt op basis van %(base)s, maar inmiddels is %(latest)s vastgesteld. "
                "Zo vaststellen zou de wijzigingen van %(latest)s ongedaan maken. Zet de wijzigingen van dit "
                "concept over naar een nieuw concept op basis van %(latest)s; de (G)MR stemt daar opnieuw over."
            )
            % {"draft": version, "base": base or "—", "latest": latest}
        )


# Drafts -----------------------------------------------------------------------------------------


def protocol_draft_create(
    *,
    by: User,
    change_note: str,
    based_on: ProtocolVersion | None = None,
    document: str = Document.PROTOCOL,
) -> ProtocolVersion:
    """A new draft, copied from the newest adopted version (in force, or adopted to take effect later:
    a draft made from an older one would undo it), or from a refused draft, to amend and resubmit.

    A document with no adopted version yet (the regeling of the staff channel) starts from its model
    text (policy/first_drafts.py).
    """
    if not may_draft(by):
        raise ActionRefused(_("Alleen het bestuur en functioneel beheer schrijven concepten."))
    if based_on is not None:
        document = based_on.document
    latest = selectors.protocol_version_latest_adopted(document=document)
    first_text = first_draft_text(document)
    if based_on is None and latest is None and first_text:
        _check_text(body=first_text, change_note=change_note)
        with transaction.atomic():
            draft = ProtocolVersion.objects.create(
                document=document,
                title=DOCUMENT_TITLES[document],
                body=first_text,
                change_note=change_note.strip(),
                created_by=by,
            )
            ProtocolVersionEvent.objects.create(version=draft, to_status=S.DRAFT, by=by, at=timezone.now())
        return draft
    based_on = ProtocolVersion.objects.get(pk=based_on.pk) if based_on else latest
    if based_on is None or not (
        based_on.status == S.COUNCIL_REFUSED or (latest is not None and based_on.pk == latest.pk)
    ):
        raise ActionRefused(_("Een concept begint bij de geldende versie of bij een geweigerd concept."))
    _check_text(body=based_on.body, change_note=change_note)
    with transaction.atomic():
        draft = ProtocolVersion.objects.create(
            document=based_on.document,
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


def protocol_draft_carry_over(*, version: ProtocolVersion, by: User) -> ProtocolVersion:
    """Carry an outdated draft's changes onto the newest adopted version, as a new draft.

    Both sides' changes are merged (policy.articles.merge3); where both changed the same article
    differently, the newest version's wording is kept and the draft page shows both side by side,
    so nothing adopted is undone silently. The new draft needs the (G)MR's consent again (WMS
    art. 10: it consented to another text); the old one is closed as "overgezet". A second click
    (or a second tab) gets the draft made by the first.
    """
    if not may_draft(by):
        raise ActionRefused(_("Alleen het bestuur en functioneel beheer schrijven concepten."))
    with transaction.atomic():
        version = _locked(version)
        if version.status == S.CARRIED_OVER:
            existing = version.carried_over_into.order_by("pk").first()
            if existing is not None:
                return existing
        _expect(
            version,
            *CARRYABLE_STATUSES,
            message=_("Alleen een concept dat nog niet is vastgesteld, kan worden overgezet."),
        )
        if not selectors.protocol_draft_is_outdated(version):
            raise ActionRefused(_("Dit concept is al gebaseerd op de nieuwste vastgestelde versie."))
        base = selectors.protocol_draft_base(version)
        latest = ProtocolVersion.objects.select_for_update().get(
            pk=selectors.protocol_version_latest_adopted(document=version.document).pk
        )
        merged = {
            field: merge3(getattr(base, field) if base else "", getattr(latest, field), getattr(version, field))
            for field in ("body", "explanation", "summary_for_parents")
        }
        conflicts = sum(m.conflicts for m in merged.values())
        draft = ProtocolVersion.objects.create(
            document=version.document,
            title=version.title,
            body=merged["body"].text,
            explanation=merged["explanation"].text,
            summary_for_parents=merged["summary_for_parents"].text,
            change_note=version.change_note,
            based_on=latest,
            carried_over_from=version,
            created_by=by,
        )
        note = _("Overgezet van %(old)s naar %(latest)s.") % {"old": version, "latest": latest}
        if conflicts:
            note += " " + ngettext(
                "%(n)s onderdeel is in beide anders gewijzigd; daar staat nu de tekst van %(latest)s.",
                "%(n)s onderdelen zijn in beide anders gewijzigd; daar staat nu de tekst van %(latest)s.",
                conflicts,
            ) % {"n": conflicts, "latest": latest}
        ProtocolVersionEvent.objects.create(version=draft, to_status=S.DRAFT, by=by, at=timezone.now(), note=note)
        _step(version=version, to_status=S.CARRIED_OVER, by=by, note=str(draft))
    return draft


# Version 1: dates recorded after the fact -------------------------------------------------------


def protocol_version_record_dates(
    *,
    version: ProtocolVersion,
    by: User | None,
    council_decided_on: datetime.date,
    minutes_reference: str,
    adopted_on: datetime.date,
    adopted_by_name: str,
    effective_from: datetime.date,
    is_demo: bool = False,
) -> ProtocolVersion:
    """Record the real (G)MR consent and adoption dates of a version adopted before the portal.

    Only recorded facts are published: until this is done, the public page says these dates are
    not yet recorded. Each recording (a correction too) is a line in the version's history, with
    who and when. ``is_demo`` is for ``seed_demo`` alone: the public page then says "(demo)".
    """
    if not is_demo and not may_record_version_dates(by):
        raise ActionRefused(_("Alleen het bestuur en functioneel beheer leggen de datums van het protocol vast."))
    today = timezone.localdate()
    errors = {}
    if council_decided_on > today:
        errors["council_decided_on"] = _("De datum van het besluit kan niet in de toekomst liggen.")
    if adopted_on > today:
        errors["adopted_on"] = _("De datum van vaststelling kan niet in de toekomst liggen.")
    elif adopted_on < council_decided_on:
        errors["adopted_on"] = _("Vaststellen kan niet vóór de instemming van de (G)MR (%(day)s).") % {
            "day": _day(council_decided_on)
        }
    if effective_from < adopted_on:
        errors["effective_from"] = _("De ingangsdatum ligt op of na de datum van vaststelling.")
    if not adopted_by_name.strip():
        errors["adopted_by_name"] = _(
            "Vul in wie het protocol heeft vastgesteld, bijvoorbeeld: het bestuur van de SKOW."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        version = _locked(version)
        if not version.adopted_before_portal or version.status not in PUBLIC_STATUSES:
            raise ActionRefused(
                _("Alleen van een versie die vóór de portal is vastgesteld, worden de datums achteraf vastgelegd.")
            )
        later = ProtocolVersion.objects.filter(
            document=version.document, status__in=PUBLIC_STATUSES, number__gt=version.number
        ).order_by("number")
        following = later.first()
        if following is not None and following.effective_from and effective_from > following.effective_from:
            raise ValidationError({"effective_from": _("De ingangsdatum ligt vóór die van %(v)s.") % {"v": following}})
        version.council_decided_on = council_decided_on
        version.council_minutes_reference = minutes_reference.strip()
        version.council_recorded_by = by
        version.adopted_on = adopted_on
        version.adopted_by_name = adopted_by_name.strip()
        version.effective_from = effective_from
        version.dates_are_demo = is_demo
        version.save()
        ProtocolVersionEvent.objects.create(
            version=version,
            kind=EventKind.DATES_RECORDED,
            from_status=version.status,
            to_status=version.status,
            by=by,
            at=timezone.now(),
            note=_(
                "Instemming (G)MR %(council)s%(reference)s; vastgesteld %(adopted)s door %(name)s; "
                "in werking vanaf %(effective)s.%(demo)s"
            )
            % {
                "council": _day(council_decided_on),
                "reference": f" ({version.council_minutes_reference})" if version.council_minutes_reference else "",
                "adopted": _day(adopted_on),
                "name": version.adopted_by_name,
                "effective": _day(effective_from),
                "demo": " (demo)" if is_demo else "",
            },
        )
    return version


# The lifecycle ----------------------------------------------------------------------------------


def protocol_version_submit(*, version: ProtocolVersion, by: User) -> ProtocolVersion:
    """Submit a draft to the (G)MR for consent (WMS art. 10); tell the (G)MR secretary."""
    with transaction.atomic():
        version = _locked(version)
        _expect(version, S.DRAFT, message=_("Alleen een concept kan aan de (G)MR worden voorgelegd."))
        _check_text(body=version.body, change_note=version.change_note)
        _check_base_is_latest(version)
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
        _check_base_is_latest(version, lock=True)
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
        numbers = ProtocolVersion.objects.filter(document=version.document)
        version.number = (numbers.aggregate(n=Max("number"))["n"] or 0) + 1
        version.adopted_on = adopted_on
        version.adopted_by = by
        version.adopted_by_name = str(by)
        version.effective_from = effective_from
        _step(version=version, to_status=S.ADOPTED, by=by)
        previous = ProtocolVersion.objects.filter(number__lt=version.number).order_by("-number").first()
        for listener in adoption_listeners:
            listener.after_adoption(version=version, previous=previous)
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
        for old in ProtocolVersion.objects.select_for_update().filter(document=version.document, status=S.IN_FORCE):
            old.superseded_at = now
            _step(version=old, to_status=S.SUPERSEDED, by=None, note=str(version))
        version.in_force_since = now
        _step(version=version, to_status=S.IN_FORCE, by=None)
        # CAO PO art. 11.2: the rules count once the employer has provided them (the protocol's
        # read receipts; the regeling of the staff channel is published on its own page).
        members = selectors.staff_not_acknowledged(version=version) if version.document == Document.PROTOCOL else ()
        for member in members:
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


def protocol_acknowledgement_remind_now(*, school: School, by: User) -> int:
    """A leader's "herinner nu": remind the staff of ``school`` who have not read the version in
    force, through the notification queue. Returns how many were reminded.

    Idempotent against a double click or a second tab: the version in force is locked while the
    reminders are written, and whoever was reminded (by anyone, or automatically) in the last
    REMIND_NOW_PAUSE_HOURS is skipped (selectors.staff_to_remind_now).
    """
    if not may_remind_staff_of(user=by, school=school):
        raise ActionRefused(_("U mag de medewerkers van deze school niet herinneren."), status=404)
    now = timezone.now()
    with transaction.atomic():
        version = (
            ProtocolVersion.objects.select_for_update().filter(document=Document.PROTOCOL, status=S.IN_FORCE).first()
        )
        if version is None:
            raise ActionRefused(_("Er is geen versie van het protocol in werking."))
        members = list(selectors.staff_to_remind_now(school=school, version=version, by=by))
        for member in members:
            AcknowledgementReminder.objects.create(version=version, staff_member=member, sent_by=by, sent_at=now)
            notification_send(
                template="policy/email/reminder_now",
                context={"version": str(version), "school": school.name},
                recipient=member,
                link=reverse("policy:acknowledge"),
                bulk=True,  # to every member of staff who has not read it
            )
    return len(members)


def protocol_acknowledgement_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind staff who have not acknowledged, 7 and 14 days after the version took effect; once per stage.

    Whoever was reminded in the last REMIND_NOW_PAUSE_HOURS (by a leader's "herinner nu", or by the
    other stage in the same run) waits for a later run: nobody gets two reminders in one day.
    """
    now = now or timezone.now()
    version = ProtocolVersion.objects.filter(document=Document.PROTOCOL, status=S.IN_FORCE).first()
    if version is None or version.in_force_since is None:
        return 0
    sent = 0
    for days in REMINDER_DAYS:
        if now < version.in_force_since + datetime.timedelta(days=days):
            continue
        already = AcknowledgementReminder.objects.filter(version=version, after_days=days).values("staff_member_id")
        recent = AcknowledgementReminder.objects.filter(
            version=version, sent_at__gt=now - datetime.timedelta(hours=REMIND_NOW_PAUSE_HOURS)
        ).values("staff_member_id")
        for member in selectors.staff_not_acknowledged(version=version).exclude(pk__in=already).exclude(pk__in=recent):
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
