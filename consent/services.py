"""Demonstrable photo, film and sound consent: decisions, withdrawals and receipts (protocol A.5)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Pupil, User
from accounts.services import user_language_set
from common.refusals import ActionRefused
from notifications.services import notification_send

from .access import consent_basis_for, may_confirm_takedown, may_maintain_form_texts
from .constants import Method, TextChangeKind
from .models import (
    ConsentDecision,
    ConsentForm,
    ConsentFormTranslation,
    ConsentInvitation,
    ConsentTextChange,
    Publication,
    TakedownTask,
)


def _clean_answers(form: ConsentForm, answers: dict) -> dict[str, dict[str, bool]]:
    """Only what the form asked, as booleans; what was not answered is no."""
    return {
        purpose: {medium: bool(answers.get(purpose, {}).get(medium, False)) for medium in form.medium_codes}
        for purpose in form.purpose_codes
    }


def consent_decide(
    *,
    decided_by: User,
    form: ConsentForm,
    answers: dict,
    method: str,
    pupil: Pupil | None = None,
    staff_member: User | None = None,
    recorded_by: User | None = None,
    scan_name: str = "",
    paper_signed_on: datetime.date | None = None,
    is_withdrawal: bool = False,
    language: str = settings.LANGUAGE_CODE,
    text_sha256_seen: str = "",
) -> ConsentDecision:
    """Record one decision (append-only) and send the decider a receipt.

    ``language`` is the language the decider read the form in: the decision is made on the form's
    text in that language (its translation, else the Dutch text) and records which one, with its
    hash. ``text_sha256_seen`` is the hash of the text the page showed; when it is given and the text
    changed since (a translation was corrected meanwhile), nothing is recorded (ActionRefused): the
    hash covers what the reader actually saw. Deciding online makes ``language`` the decider's
    language for e-mails, this receipt first.

    ActionRefused when ``decided_by`` may not decide for this person today (access.consent_basis_for)
    or the form is not published; ValidationError when a paper form comes without its scan.
    """
    from .selectors import consent_form_text

    if form.published_at is None:
        raise ActionRefused(_("Dit formulier is nog niet gepubliceerd."))
    if method == Method.PAPER and (recorded_by is None or not scan_name):
        raise ValidationError(_("Een papieren formulier wordt ingevoerd met de scan erbij."))
    now = timezone.now()
    basis = consent_basis_for(decided_by=decided_by, pupil=pupil, staff_member=staff_member, on=timezone.localdate(now))
    with transaction.atomic():
        # Locked: a translation cannot change between this check and the decision on it.
        text = consent_form_text(form, language, lock=True)
        if text_sha256_seen and text_sha256_seen != text.sha256:
            raise ActionRefused(
                _(
                    "De tekst van het formulier is veranderd nadat u de pagina opende. Er is niets opgeslagen: "
                    "lees de tekst opnieuw en maak uw keuze nog eens."
                )
            )
        decision = ConsentDecision.objects.create(
            pupil=pupil,
            staff_member=staff_member,
            decided_by=decided_by,
            basis=basis,
            method=method,
            form=form,
            text_sha256=text.sha256,
            language=text.language,
            answers=_clean_answers(form, answers),
            is_withdrawal=is_withdrawal,
            decided_at=now,
            recorded_by=recorded_by,
            scan_name=scan_name,
            paper_signed_on=paper_signed_on,
        )
        # Whoever decides has answered the running campaign, however they reached the form.
        ConsentInvitation.objects.filter(
            recipient=decided_by, responded_at__isnull=True, campaign__started_at__lte=now
        ).update(responded_at=now)
        if method != Method.PAPER:
            # The language someone decides in is the one they read: their e-mails follow it.
            user_language_set(user=decided_by, language=language)
        _send_receipt(decision)
        _takedowns_after(decision)
    return decision


@dataclass
class CardChoice:
    """What one card of the consent page said when it was sent: whose, the ticks, and which of the
    decider's own decisions for that person the page showed (0: none)."""

    subject: Pupil | User
    answers: dict
    seen: int = 0


@dataclass
class CardsSaved:
    """The outcome of saving the consent page: a name per saved card, per unchanged card, or the
    names of the cards changed meanwhile elsewhere, or that the form's text changed since the page
    showed it (then nothing was saved)."""

    saved: list[ConsentDecision] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changed_elsewhere: list[str] = field(default_factory=list)
    text_changed: bool = False

    @property
    def is_saved(self) -> bool:
        return not self.changed_elsewhere and not self.text_changed


def _subject_name(subject: Pupil | User) -> str:
    return subject.first_name if isinstance(subject, Pupil) else _("uzelf")


def consent_decide_many(
    *,
    decided_by: User,
    form: ConsentForm,
    choices: list[CardChoice],
    method: str,
    record_unchanged: bool = False,
    language: str = settings.LANGUAGE_CODE,
    text_sha256_seen: str = "",
) -> CardsSaved:
    """Save every card of the consent page at once: all of them or none (one transaction).

    A parent with several children answers on one page; what they ticked for one child is never
    dropped because they saved another (protocol A.5: the answer must be demonstrable). A card whose
    newest decision by ``decided_by`` is no longer the one the page showed was changed elsewhere (in a
    second tab, or a paper form): nothing is saved and the caller shows the page again, with the
    ticks as sent. A card equal to the decider's own newest answer is not recorded again, unless
    ``record_unchanged`` (a campaign link: keeping last year's answer is this year's answer).
    ``language`` and ``text_sha256_seen``: the text the page showed, as for consent_decide; when that
    text changed since (a translation corrected meanwhile), nothing is saved (``text_changed``) and
    the caller shows the page again, with the new text and the ticks as sent.
    ActionRefused (nothing saved) when any card may not be decided by ``decided_by`` today.
    """
    from .selectors import consent_form_text

    outcome = CardsSaved()
    with transaction.atomic():
        # Locked until the decisions are made: the text cannot change between this check and them.
        if text_sha256_seen and text_sha256_seen != consent_form_text(form, language, lock=True).sha256:
            outcome.text_changed = True
            return outcome
        newest: dict[tuple[str, int], ConsentDecision | None] = {}
        for choice in choices:
            # The person's row is the lock: two saves of the same card at once are judged one by one.
            if isinstance(choice.subject, Pupil):
                Pupil.objects.select_for_update().filter(pk=choice.subject.pk).first()
                mine = ConsentDecision.objects.filter(pupil=choice.subject, decided_by=decided_by)
            else:
                User.objects.select_for_update().filter(pk=choice.subject.pk).first()
                mine = ConsentDecision.objects.filter(staff_member=choice.subject, decided_by=decided_by)
            latest = mine.order_by("-decided_at", "-pk").first()
            newest[(type(choice.subject).__name__, choice.subject.pk)] = latest
            if (latest.pk if latest else 0) != choice.seen:
                outcome.changed_elsewhere.append(_subject_name(choice.subject))
        if outcome.changed_elsewhere:
            return outcome
        for choice in choices:
            latest = newest[(type(choice.subject).__name__, choice.subject.pk)]
            answers = _clean_answers(form, choice.answers)
            if (
                not record_unchanged
                and latest is not None
                and latest.form_id == form.pk
                and _clean_answers(form, latest.answers) == answers
            ):
                outcome.unchanged.append(_subject_name(choice.subject))
                continue
            is_pupil = isinstance(choice.subject, Pupil)
            outcome.saved.append(
                consent_decide(
                    decided_by=decided_by,
                    form=form,
                    answers=answers,
                    method=method,
                    pupil=choice.subject if is_pupil else None,
                    staff_member=None if is_pupil else choice.subject,
                    language=language,
                    text_sha256_seen=text_sha256_seen,
                )
            )
    return outcome


def consent_paper_record(
    *,
    recorded_by: User,
    signed_by: User,
    answers: dict,
    signed_on: datetime.date,
    scan,
    pupil: Pupil | None = None,
    staff_member: User | None = None,
    language: str = settings.LANGUAGE_CODE,
) -> ConsentDecision:
    """Enter a signed paper form with its scan; the signer is the decider and gets the receipt.

    ``language``: the language of the printed text that was signed (Dutch, or the form's translation).

    The same rules as online hold (who may decide for whom, on the day of entry); the decision is
    recorded as of now, with the date on the paper kept beside it, so a late-entered form never
    overrides an answer given online after it was signed. Caller has checked that ``recorded_by``
    may enter forms for this person (access.pupils_for_paper_entry).
    """
    from .scans import scan_delete, scan_store
    from .selectors import consent_form_current

    if signed_on > timezone.localdate():
        raise ValidationError(_("De datum van ondertekening ligt in de toekomst."))
    form = consent_form_current()
    if form is None:
        raise ActionRefused(_("Er is nog geen toestemmingsformulier gepubliceerd."))
    # Check the rules before anything is stored.
    consent_basis_for(decided_by=signed_by, pupil=pupil, staff_member=staff_member, on=timezone.localdate())
    scan_name = scan_store(scan)
    try:
        return consent_decide(
            decided_by=signed_by,
            form=form,
            answers=answers,
            method=Method.PAPER,
            pupil=pupil,
            staff_member=staff_member,
            recorded_by=recorded_by,
            scan_name=scan_name,
            paper_signed_on=signed_on,
            language=language,
        )
    except BaseException:
        scan_delete(scan_name)  # no decision, so no orphaned scan of someone's signature
        raise


def consent_withdraw(
    *,
    decided_by: User,
    method: str,
    pupil: Pupil | None = None,
    staff_member: User | None = None,
    language: str = settings.LANGUAGE_CODE,
) -> ConsentDecision:
    """Withdraw everything at once: as easy as giving (AVG art. 7(3)); takes effect immediately."""
    from .selectors import consent_form_current

    form = consent_form_current()
    if form is None:
        raise ActionRefused(_("Er is nog geen toestemmingsformulier gepubliceerd."))
    return consent_decide(
        decided_by=decided_by,
        form=form,
        answers={},
        method=method,
        pupil=pupil,
        staff_member=staff_member,
        is_withdrawal=True,
        language=language,
    )


def _send_receipt(decision: ConsentDecision) -> None:
    """The receipt, in the decider's language (the worker writes e-mails in it; accounts.User.language)."""
    from .selectors import consent_form_text

    reader = decision.decided_by.language or settings.LANGUAGE_CODE
    form = consent_form_text(decision.form, reader)
    # Exactly what was and was not given, per purpose: a "no" is never listed as consent.
    given, not_given = [], []
    for purpose in form.purposes:
        media = [(medium["label"], decision.allows(purpose["code"], medium["code"])) for medium in form.media]
        if yes := [label for label, allowed in media if allowed]:
            given.append({"purpose": purpose["label"], "media": yes})
        if no := [label for label, allowed in media if not allowed]:
            not_given.append({"purpose": purpose["label"], "media": no})
    with translation.override(reader):
        text_language = str(dict(settings.LANGUAGES).get(decision.language, decision.language))
    notification_send(
        template="consent/email/receipt",
        recipient=decision.decided_by,
        context={
            "subject_name": str(decision.subject),
            "given": given,
            "not_given": not_given,
            "decided_at": timezone.localtime(decision.decided_at).strftime("%d-%m-%Y %H:%M"),
            "form_version": form.version,
            "text_sha256": decision.text_sha256,
            "text_language": text_language,
            "is_withdrawal": decision.is_withdrawal,
        },
        link=reverse("consent:overview"),
    )


def consent_form_translation_save(
    *,
    form: ConsentForm,
    language: str,
    by: User,
    title: str,
    introduction: str,
    exemptions: str,
    purposes: list[dict],
    media: list[dict],
    based_on_sha256: str = "",
) -> ConsentFormTranslation:
    """Save the text of a form version in another language than Dutch (access.may_maintain_form_texts).

    Readers of that language see it from now on. Once anyone has decided on it, it never changes
    again: the proof of that decision is this text (AVG art. 7(1)); a correction is a new form
    version, as for the Dutch text. ``based_on_sha256``: the hash of the text the editor started
    from ("" for none); when someone else saved in the meantime, nothing is saved (ActionRefused).
    ``purposes`` and ``media`` carry the form's own codes in its order, with the translated words.
    """
    from .selectors import consent_form_text

    if not may_maintain_form_texts(by):
        raise ActionRefused(
            _("Alleen het bestuur en de functioneel beheerder onderhouden de teksten van het formulier.")
        )
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        raise ActionRefused(_("De Nederlandse tekst hoort bij de versie zelf en verandert niet."))
    if [p["code"] for p in purposes] != form.purpose_codes or [m["code"] for m in media] != form.medium_codes:
        raise ActionRefused(_("De vertaling moet dezelfde doelen en media hebben als het formulier."))
    with transaction.atomic():
        current = consent_form_text(form, language, lock=True)
        if ConsentDecision.objects.filter(form=form, language=language).exists():
            raise ActionRefused(
                _(
                    "Iemand heeft al een keuze gemaakt op deze tekst; hij verandert daarom niet meer. "
                    "Een correctie komt in een nieuwe versie van het formulier."
                )
            )
        existing = current.language == language
        if based_on_sha256 != (current.sha256 if existing else ""):
            raise ActionRefused(
                _(
                    "Iemand anders heeft deze tekst intussen opgeslagen. Er is niets opgeslagen: "
                    "bekijk de nieuwe tekst eerst."
                )
            )
        values = {
            "title": title.strip(),
            "introduction": introduction.strip(),
            "exemptions": exemptions.strip(),
            "purposes": [
                {"code": p["code"], "label": p["label"].strip(), "explanation": p["explanation"].strip()}
                for p in purposes
            ],
            "media": [{"code": m["code"], "label": m["label"].strip()} for m in media],
            "saved_at": timezone.now(),
            "saved_by": by,
        }
        translation_row, _created = ConsentFormTranslation.objects.update_or_create(
            form=form, language=language, defaults=values
        )
    return translation_row


# A new round when consent's text changes (protocol A.5) ------------------------------------------


def consent_text_change_record(
    *, kind: str, reference: str, text: str, previous_reference: str = "", previous_text: str = ""
) -> ConsentTextChange:
    """Consent's text changed: record it and tell every school's leadership that a new round can be
    started on the campaigns page (``campaigns.consent_round_start``). Earlier answers are not touched.

    Called when the board adopts a protocol version whose A.5 differs (skow_portal wires policy's
    adoption to this), and by ``consent_form_publish``. Call inside the transaction of that event.
    """
    from accounts.constants import Role
    from accounts.models import RoleAssignment

    change = ConsentTextChange.objects.create(
        kind=kind,
        reference=reference,
        text=text.strip(),
        previous_reference=previous_reference,
        previous_text=previous_text.strip(),
        changed_at=timezone.now(),
    )
    leaders = (
        User.objects.filter(
            pk__in=RoleAssignment.objects.filter(role=Role.SCHOOL_LEADER).values("user_id"), is_active=True
        )
        .distinct()
        .order_by("pk")
    )
    for leader in leaders:
        notification_send(
            template="consent/email/new_round",
            recipient=leader,
            context={"reference": reference},
            link=reverse("consent:campaigns"),
            bulk=True,  # to every school's leadership at once; nobody waits for it
        )
    return change


def consent_form_publish(*, form: ConsentForm, by: User) -> ConsentForm:
    """Publish a form version (access.may_maintain_form_texts); from now on everyone decides on it.

    When it asks something the version before it did not (a purpose or a medium more), the families
    are asked again: ``consent_text_change_record`` offers every school a new round (protocol A.5).
    """
    from .selectors import consent_form_current

    if not may_maintain_form_texts(by):
        raise ActionRefused(_("Alleen het bestuur en de functioneel beheerder publiceren een toestemmingsformulier."))
    with transaction.atomic():
        form = ConsentForm.objects.select_for_update().get(pk=form.pk)
        if form.published_at is not None:
            raise ActionRefused(_("Deze versie van het formulier is al gepubliceerd."))
        previous = consent_form_current()
        if previous is not None and previous.version > form.version:
            raise ActionRefused(_("Er is al een nieuwere versie van het formulier gepubliceerd."))
        form.published_at = timezone.now()
        form.save(update_fields=["published_at"])
        if previous is not None:
            new_purposes = [p["label"] for p in form.purposes if p["code"] not in previous.purpose_codes]
            new_media = [m["label"] for m in form.media if m["code"] not in previous.medium_codes]
            if new_purposes or new_media:
                consent_text_change_record(
                    kind=TextChangeKind.FORM_VERSION,
                    reference=str(form),
                    text=form.text_shown(),
                    previous_reference=str(previous),
                    previous_text=previous.text_shown(),
                )
    return form


@dataclass(frozen=True)
class NextFormVersion:
    """The draft of the next form version as the board or functional admin typed it, before it is
    published: its text, and what it asks that the current version does not (then a new round)."""

    form: ConsentForm  # not saved
    based_on: ConsentForm | None
    new_purposes: list[str]
    new_media: list[str]

    @property
    def asks_something_new(self) -> bool:
        return bool(self.new_purposes or self.new_media)

    @property
    def sha256(self) -> str:
        return self.form.text_sha256()


def _new_code(label: str, taken: list[str]) -> str:
    from django.utils.text import slugify

    base = slugify(label).replace("-", "_")[:40] or "item"
    code, number = base, 2
    while code in taken:
        code, number = f"{base}_{number}", number + 1
    return code


def consent_form_next_draft(
    *,
    by: User,
    based_on_version: int | None,
    title: str,
    introduction: str,
    exemptions: str,
    purposes: list[dict],
    media: list[dict],
    new_purpose: dict | None = None,
    new_medium: str = "",
) -> NextFormVersion:
    """The next form version from the current one's codes with the words typed (``purposes`` and
    ``media`` carry the current version's codes in its order), plus at most one new purpose and one
    new medium; nothing saved. Refuses when nothing changed, when a newer version was published
    since the page was opened, or when a new purpose or medium repeats an existing one."""
    from .selectors import consent_form_current

    if not may_maintain_form_texts(by):
        raise ActionRefused(_("Alleen het bestuur en de functioneel beheerder publiceren een toestemmingsformulier."))
    current = consent_form_current()
    if (current.version if current else None) != based_on_version:
        raise ActionRefused(
            _(
                "Intussen is een nieuwere versie van het formulier gepubliceerd. Er is niets gepubliceerd: "
                "open de pagina opnieuw en begin vanaf die versie."
            )
        )
    if current is not None and (
        [p["code"] for p in purposes] != current.purpose_codes or [m["code"] for m in media] != current.medium_codes
    ):
        raise ActionRefused(_("De doelen en media moeten die van de huidige versie zijn."))
    purposes = [
        {"code": p["code"], "label": p["label"].strip(), "explanation": p["explanation"].strip()} for p in purposes
    ]
    media = [{"code": m["code"], "label": m["label"].strip()} for m in media]
    errors = {}
    new_purposes, new_media = [], []
    if new_purpose and new_purpose.get("label", "").strip():
        label = new_purpose["label"].strip()
        if label.casefold() in {p["label"].casefold() for p in purposes}:
            errors["new_purpose_label"] = _("Dit doel staat al op het formulier.")
        else:
            code = _new_code(label, [p["code"] for p in purposes])
            purposes.append({"code": code, "label": label, "explanation": new_purpose["explanation"].strip()})
            new_purposes.append(label)
    if new_medium.strip():
        label = new_medium.strip()
        if label.casefold() in {m["label"].casefold() for m in media}:
            errors["new_medium_label"] = _("Dit medium staat al op het formulier.")
        else:
            media.append({"code": _new_code(label, [m["code"] for m in media]), "label": label})
            new_media.append(label)
    if errors:
        raise ValidationError(errors)
    version = (ConsentForm.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    draft = ConsentForm(
        version=version,
        title=title.strip(),
        introduction=introduction.strip(),
        exemptions=exemptions.strip(),
        purposes=purposes,
        media=media,
    )
    fields = ("title", "introduction", "exemptions", "purposes", "media")
    if current is not None and all(getattr(draft, f) == getattr(current, f) for f in fields):
        raise ActionRefused(
            _("Er is niets veranderd ten opzichte van versie %(version)s: er is niets gepubliceerd.")
            % {"version": current.version}
        )
    return NextFormVersion(form=draft, based_on=current, new_purposes=new_purposes, new_media=new_media)


def consent_form_next_publish(*, by: User, previewed_sha256: str, **text) -> NextFormVersion:
    """Save and publish the next form version (``consent_form_next_draft``) exactly as previewed:
    when the text differs from the preview's (``previewed_sha256``), nothing is published. A version
    that asks something new offers every school a new round (``consent_form_publish``)."""
    with transaction.atomic():
        ConsentForm.objects.select_for_update().filter(published_at__isnull=False).order_by("-version").first()
        draft = consent_form_next_draft(by=by, **text)
        if draft.sha256 != previewed_sha256:
            raise ActionRefused(
                _("De tekst is veranderd sinds het voorbeeld. Er is niets gepubliceerd: bekijk het voorbeeld opnieuw.")
            )
        # An unpublished version left over (made outside this page) keeps its number; this one follows it.
        draft.form.save()
        consent_form_publish(form=draft.form, by=by)
    return draft


def publication_record(
    *,
    created_by: User,
    group,
    pupils: list[Pupil],
    purpose: str,
    medium: str,
    description: str,
    staff: list[User] = (),
) -> Publication:
    """Save a cleared picture as published, with the consents in force at that moment."""
    from .selectors import photo_check

    with transaction.atomic():
        pupil_ids = [p.pk for p in pupils]
        staff_ids = [u.pk for u in staff]
        check = photo_check(
            pupils=Pupil.objects.filter(pk__in=pupil_ids),
            staff=User.objects.filter(pk__in=staff_ids),
            purpose=purpose,
            medium=medium,
        )
        if not check.allowed:
            raise ActionRefused(_("Niet iedereen op de foto heeft toestemming gegeven; publiceren mag niet."))
        publication = Publication.objects.create(
            created_by=created_by,
            group=group,
            purpose=purpose,
            medium=medium,
            description=description,
            consent_snapshot=check.snapshot,
            published_at=timezone.now(),
        )
        publication.pupils.set(pupil_ids)
        publication.staff_members.set(staff_ids)
    return publication


TAKEDOWN_WITHIN = datetime.timedelta(days=2)


def _takedowns_after(decision: ConsentDecision) -> None:
    """Consent that no longer covers a recorded publication: the publisher gets a takedown task."""
    from .selectors import current_consent_for_pupil, current_consent_for_staff

    if decision.pupil_id is not None:
        consent = current_consent_for_pupil(decision.pupil)
        person = {"pupil": decision.pupil}
        publications = Publication.objects.filter(pupils=decision.pupil).exclude(
            takedowns__pupil=decision.pupil, takedowns__done_at__isnull=True
        )
    else:
        consent = current_consent_for_staff(decision.staff_member)
        person = {"staff_member": decision.staff_member}
        publications = Publication.objects.filter(staff_members=decision.staff_member).exclude(
            takedowns__staff_member=decision.staff_member, takedowns__done_at__isnull=True
        )
    now = timezone.now()
    for publication in publications:
        if consent.allows(publication.purpose, publication.medium):
            continue
        TakedownTask.objects.create(
            publication=publication,
            **person,
            assigned_to=publication.created_by,
            created_at=now,
            due_at=now + TAKEDOWN_WITHIN,
        )
        notification_send(
            template="consent/email/takedown",
            recipient=publication.created_by,
            context={"due": f"{timezone.localtime(now + TAKEDOWN_WITHIN):%d-%m-%Y %H:%M}"},
            link=reverse("consent:takedowns"),
        )


def takedown_confirm(*, task: TakedownTask, by: User) -> None:
    """The publisher, or a leader of the school, confirms the publication was taken down
    (access.may_confirm_takedown). Confirming twice (two tabs) keeps the first confirmation."""
    if not may_confirm_takedown(user=by, task=task):
        raise ActionRefused(_("Alleen wie de publicatie plaatste of de schoolleiding bevestigt de verwijdering."))
    with transaction.atomic():
        locked = TakedownTask.objects.select_for_update().get(pk=task.pk)
        if locked.done_at is None:
            locked.done_at = timezone.now()
            locked.done_by = by
            locked.save(update_fields=["done_at", "done_by"])
