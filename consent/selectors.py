"""Reads of consent: the current form, and current consent derived from the decision log.

Who may decide, see and run what is decided in consent/access.py; the rules pages read through this
module are imported from there (``pupils_decidable_by`` and the others below).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Pupil, User
from common.hashchain import ChainReport, chain_verify
from common.refusals import ActionRefused

from .access import (
    campaign_schools_for,
    consent_basis_for,
    consent_deciders_for,
    decides_own_consent_as_staff,
    decisions_visible_to,
    publication_schools_for,
    sixteenth_birthday_cutoff,
    takedown_tasks_visible_to,
)
from .access import decision_visible_to as decision_visible_to
from .access import groups_for_staff as groups_for_staff
from .access import pupils_decidable_by as pupils_decidable_by
from .access import pupils_for_paper_entry as pupils_for_paper_entry
from .constants import Basis, TextChangeKind
from .models import (
    ConsentChainHead,
    ConsentDecision,
    ConsentForm,
    ConsentFormTranslation,
    ConsentTextChange,
    FormText,
)


def consent_form_current() -> ConsentForm | None:
    return ConsentForm.objects.filter(published_at__isnull=False).order_by("-version").first()


def reader_language() -> str:
    """The language of the page being made: the switch's choice, else the reader's stored one, else Dutch."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def consent_form_text(form: ConsentForm, language: str | None = None, *, lock: bool = False) -> FormText:
    """The text of ``form`` a reader of ``language`` (default: this page's) sees and signs: its
    translation in that language when the board has provided one, else the Dutch text.

    ``lock``: hold the translation's row until the transaction ends, so it cannot change between
    reading it and recording a decision on it (services.consent_form_translation_save takes the same lock).
    """
    language = language or reader_language()
    if language == settings.LANGUAGE_CODE:
        return form.text_in(language)
    translations = ConsentFormTranslation.objects.filter(form=form, language=language)
    if lock:
        translations = translations.select_for_update()
    return form.text_in(language, translations.first())


def consent_form_languages(form: ConsentForm) -> list[tuple[str, str]]:
    """The languages ``form`` can be read and signed in: Dutch, and those it has a translation in."""
    translated = set(ConsentFormTranslation.objects.filter(form=form).values_list("language", flat=True))
    return [(code, name) for code, name in settings.LANGUAGES if code == settings.LANGUAGE_CODE or code in translated]


def consent_decision_text(decision: ConsentDecision) -> FormText:
    """The text a decision was made on, in the language it was shown in."""
    return consent_form_text(decision.form, decision.language)


@dataclass(frozen=True)
class ArticleText:
    """The wording of protocol A.5 an answer was given under: which version, and its text."""

    reference: str
    text: str


def consent_article_texts(decisions: list[ConsentDecision]) -> dict[int, ArticleText | None]:
    """For each decision, the protocol's A.5 in force when it was given, once A.5 has changed at least
    once (before that every answer was given under the same text: None). One query.

    The last change at or before the answer gives its new text; an answer from before the first
    change was given under that change's previous text.
    """
    changes = list(ConsentTextChange.objects.filter(kind=TextChangeKind.PROTOCOL_ARTICLE).order_by("changed_at", "pk"))
    texts: dict[int, ArticleText | None] = {}
    for decision in decisions:
        before = [change for change in changes if change.changed_at <= decision.decided_at]
        if before:
            texts[decision.pk] = ArticleText(reference=before[-1].reference, text=before[-1].text)
        elif changes and changes[0].previous_reference:
            texts[decision.pk] = ArticleText(reference=changes[0].previous_reference, text=changes[0].previous_text)
        else:
            texts[decision.pk] = None
    return texts


def consent_decision_history(*, user: User, decision: ConsentDecision) -> list[ConsentDecision]:
    """Every decision about the same person that ``user`` may see, newest first (the proof lists them,
    each with the text it was given to)."""
    about = Q(pupil=decision.pupil_id) if decision.pupil_id else Q(staff_member=decision.staff_member_id)
    return list(decisions_visible_to(user=user).filter(about).order_by("-decided_at", "-pk"))


def consent_form_texts_for_maintenance():
    """Every form version with its translations and whether anyone decided on each language's text
    (the board's and functional admin's page of form texts)."""
    from django.db.models import Exists, OuterRef

    return ConsentForm.objects.prefetch_related(
        Prefetch(
            "translations",
            queryset=ConsentFormTranslation.objects.select_related("saved_by").annotate(
                is_signed=Exists(ConsentDecision.objects.filter(form=OuterRef("form"), language=OuterRef("language")))
            ),
        )
    ).order_by("-version")


@dataclass
class CurrentConsent:
    """What counts now for one person, and why."""

    answers: dict[str, dict[str, bool]] = field(default_factory=dict)
    counting: list[ConsentDecision] = field(default_factory=list)  # the decisions that count now
    # (purpose, medium) -> names of deciders who said no while another said yes (guardians disagree)
    disagreements: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    decided_by_pupil: bool = False

    def allows(self, purpose: str, medium: str) -> bool:
        # Opt-in: no decision, or nothing said about this purpose and medium, means no.
        return bool(self.answers.get(purpose, {}).get(medium, False))

    @property
    def has_decision(self) -> bool:
        return bool(self.counting)


def _combine_restrictive(decisions: list[ConsentDecision]) -> CurrentConsent:
    """Guardians who disagree: the more restrictive answer counts (DESIGN: consent)."""
    result = CurrentConsent(counting=decisions)
    keys = {(p, m) for d in decisions for p, media in d.answers.items() for m in media}
    for purpose, medium in sorted(keys):
        votes = [(d, d.allows(purpose, medium)) for d in decisions]
        allowed = all(vote for _d, vote in votes)
        result.answers.setdefault(purpose, {})[medium] = allowed
        if not allowed and any(vote for _d, vote in votes):
            result.disagreements[(purpose, medium)] = [str(d.decided_by) for d, vote in votes if not vote]
    return result


def current_consent_for_pupil(
    pupil: Pupil,
    *,
    on: datetime.date | None = None,
    decisions: list[ConsentDecision] | None = None,
    guardian_ids: set[int] | None = None,
) -> CurrentConsent:
    """Derive current consent from the log. Pass ``decisions`` (newest first) and ``guardian_ids``
    when they were prefetched for many pupils; otherwise they are read here."""
    on = on or timezone.localdate()
    if decisions is None:
        decisions = list(pupil.consent_decisions.select_related("decided_by").order_by("-decided_at", "-pk"))
    if guardian_ids is None:
        guardian_ids = set(pupil.guardianships.values_list("guardian_id", flat=True))
    if pupil.decides_own_consent(on):
        own = next((d for d in decisions if d.basis == Basis.PUPIL_SELF), None)
        if own is not None:
            result = _combine_restrictive([own])
            result.decided_by_pupil = True
            return result
        # Until the pupil of 16 decides, the guardians' answers stay in force.
    latest: dict[int, ConsentDecision] = {}
    for decision in decisions:
        if decision.basis == Basis.GUARDIAN and decision.decided_by_id in guardian_ids:
            latest.setdefault(decision.decided_by_id, decision)
    return _combine_restrictive(list(latest.values()))


def current_consent_for_staff(staff_member: User) -> CurrentConsent:
    own = staff_member.own_consent_decisions.select_related("decided_by").order_by("-decided_at", "-pk").first()
    return _combine_restrictive([own] if own else [])


def decision_history_for_staff(staff_member: User):
    return staff_member.own_consent_decisions.select_related("decided_by", "form", "recorded_by").order_by(
        "-decided_at", "-pk"
    )


@dataclass
class AppliesCell:
    """One purpose × medium of "Wat nu geldt": whether it may, and whether the deciders disagree."""

    medium: str
    allowed: bool
    disputed: bool = False


@dataclass
class Disagreement:
    """An item where one guardian said yes and another no: the stricter answer (no) counts."""

    purpose: str
    medium: str
    said_no: list[str]


@dataclass
class ConsentCard:
    """One person on the /consent/ page of the asking user (or of a campaign link's recipient)."""

    name: str
    current: CurrentConsent
    history: list[ConsentDecision]
    may_decide: bool
    reason: str = ""
    pupil: Pupil | None = None
    own_answers: dict = field(default_factory=dict)
    form: object = None
    # Shown with the ticks as sent, not as saved (the page warns that they are not saved yet).
    unsaved: bool = False
    # The key of this card's fields in the one form of the page ("p12", "self").
    key: str = ""
    # The newest decision of the asking user for this person when the page was made (0: none): a save
    # from an older page (another tab) is not allowed to overwrite a newer choice unseen.
    seen: int = 0
    first_name: str = ""
    # A pupil of 16 or older: the pupil decides (AVG art. 8). When the pupil's own choice counts
    # since, when the school invited the pupil, and whether the pupil has a login at all.
    pupil_decides: bool = False
    pupil_decided_at: datetime.datetime | None = None
    pupil_invited_at: datetime.datetime | None = None
    pupil_has_login: bool = False
    # Filled by consent_applies(): per purpose, the cells of "Wat nu geldt", and the disagreements.
    applies: list[tuple[str, list[AppliesCell]]] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    # Form cells (purpose code, medium code) where the reader ticked yes but no counts.
    overruled: set[tuple[str, str]] = field(default_factory=set)

    @property
    def has_unconfirmed_invitation(self) -> bool:
        return self.pupil_decides and self.pupil_decided_at is None and self.pupil_invited_at is not None


def consent_applies(card: ConsentCard, form: ConsentForm | FormText) -> ConsentCard:
    """Fill in what applies now per purpose and medium (never who decided): the stricter answer
    where guardians disagree (DESIGN: consent), and which of the reader's own ticks do not count."""
    current = card.current
    card.applies = [
        (
            purpose["label"],
            [
                AppliesCell(
                    medium=medium["label"],
                    allowed=current.allows(purpose["code"], medium["code"]),
                    disputed=(purpose["code"], medium["code"]) in current.disagreements,
                )
                for medium in form.media
            ],
        )
        for purpose in form.purposes
    ]
    labels = {p["code"]: p["label"] for p in form.purposes}
    medium_labels = {m["code"]: m["label"] for m in form.media}
    card.disagreements = [
        Disagreement(purpose=labels.get(p, p), medium=medium_labels.get(m, m), said_no=names)
        for (p, m), names in current.disagreements.items()
        if p in labels and m in medium_labels
    ]
    card.overruled = {
        (p["code"], m["code"])
        for p in form.purposes
        for m in form.media
        if card.own_answers.get(p["code"], {}).get(m["code"]) and not current.allows(p["code"], m["code"])
    }
    return card


def card_key(subject: Pupil | User) -> str:
    """The prefix of one person's fields in the page's single form."""
    return f"p{subject.pk}" if isinstance(subject, Pupil) else "self"


def consent_cards_for(
    *, user: User, on: datetime.date | None = None, form: ConsentForm | FormText | None = None
) -> list[ConsentCard]:
    """Everyone whose consent ``user`` sees on /consent/: own children, themselves as a pupil or a
    staff member. A fixed number of queries, whatever the number of children. ``form``: the form
    (or its text in the reader's language, selectors.consent_form_text) whose labels "wat nu geldt" uses."""
    on = on or timezone.localdate()
    cards: list[ConsentCard] = []
    pupils = (
        pupils_decidable_by(user=user)
        .select_related("school", "age_of_consent_notice")
        .prefetch_related(
            Prefetch(
                "consent_decisions",
                queryset=ConsentDecision.objects.select_related("decided_by", "form").order_by("-decided_at", "-pk"),
            ),
            "guardianships",
        )
        .order_by("first_name", "pk")
    )
    for pupil in pupils:
        decisions = list(pupil.consent_decisions.all())
        guardian_ids = {g.guardian_id for g in pupil.guardianships.all()}
        may_decide, reason = True, ""
        try:
            consent_basis_for(decided_by=user, pupil=pupil, on=on)
        except ActionRefused as refused:
            may_decide, reason = False, refused.message
        mine = next((d for d in decisions if d.decided_by_id == user.pk), None)
        own_pupil_decision = next((d for d in decisions if d.basis == Basis.PUPIL_SELF), None)
        notice = getattr(pupil, "age_of_consent_notice", None)
        decides = pupil.decides_own_consent(on)
        cards.append(
            ConsentCard(
                name=pupil.full_name,
                first_name=pupil.first_name,
                pupil=pupil,
                key=card_key(pupil),
                seen=mine.pk if mine else 0,
                history=decisions,
                may_decide=may_decide,
                reason=reason,
                current=current_consent_for_pupil(pupil, on=on, decisions=decisions, guardian_ids=guardian_ids),
                own_answers=mine.answers if mine else {},
                pupil_decides=decides,
                pupil_decided_at=own_pupil_decision.decided_at if decides and own_pupil_decision else None,
                pupil_invited_at=notice.pupil_invited_at if notice is not None else None,
                pupil_has_login=pupil.user_id is not None,
            )
        )
    if decides_own_consent_as_staff(user):
        history = list(decision_history_for_staff(user))
        cards.append(
            ConsentCard(
                name=str(user),
                first_name=user.first_name,
                key="self",
                seen=history[0].pk if history else 0,
                history=history,
                may_decide=True,
                current=_combine_restrictive(history[:1]),
                own_answers=history[0].answers if history else {},
            )
        )
    form = form or consent_form_current()
    if form is not None:
        for card in cards:
            consent_applies(card, form)
    return cards


def paper_signers_for(pupil: Pupil, *, on: datetime.date | None = None) -> list[tuple[int, str]]:
    """Who can have signed a paper form for this pupil today (access.consent_deciders_for): the
    guardians under 16, the pupil from 16."""
    if pupil.decides_own_consent(on or timezone.localdate()):
        label = _("%(name)s zelf (16 jaar of ouder)") % {"name": pupil.full_name}
        return [(user.pk, label) for user in consent_deciders_for(pupil, on=on)]
    return [
        (user.pk, f"{user} ({user.email})")
        for user in consent_deciders_for(pupil, on=on).order_by("last_name", "email")
    ]


def campaigns_visible_to(*, user: User):
    from .models import ConsentCampaign

    return ConsentCampaign.objects.filter(school__in=campaign_schools_for(user=user)).select_related(
        "school", "form", "started_by", "text_change"
    )


@dataclass
class FamilyContact:
    """Someone who decides for a pupil without an answer, and their invitation of the campaign."""

    person: User
    invitation: object = None  # ConsentInvitation, or None: not (yet) invited

    @property
    def is_remindable_now(self) -> bool:
        from .campaigns import is_reminded_recently

        invitation = self.invitation
        if not self.person.email or not self.person.is_active:
            return False
        if invitation is None:
            return True
        return invitation.responded_at is None and not is_reminded_recently(invitation, now=timezone.now())


@dataclass
class GroupFollowUp:
    """One group on the campaign dashboard: its pupils without an answer and who decides for them."""

    pupils: list[tuple[Pupil, list[FamilyContact]]] = field(default_factory=list)
    last_reminder: object = None  # the newest CampaignReminder of a leader for this group

    @property
    def remindable_count(self) -> int:
        return len({c.person.pk for _pupil, contacts in self.pupils for c in contacts if c.is_remindable_now})


def campaign_dashboard(*, campaign) -> dict:
    """Response per group, who has not answered (and who decides for them), and the reminders sent.
    A fixed number of queries, whatever the size of the school."""
    from django.db.models import Count

    from accounts.models import Group

    from .campaigns import campaign_response_by_group, deciders_by_pupil, pupils_without_answer
    from .models import ConsentInvitation

    groups = campaign_response_by_group(campaign)
    invitations = campaign.invitations.aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        responded=Count("pk", filter=Q(responded_at__isnull=False)),
    )
    pupils = pupils_without_answer(
        campaign=campaign, groups=Group.objects.filter(school=campaign.school, school_year=campaign.school_year)
    )
    deciders = deciders_by_pupil(pupils)
    person_ids = {user.pk for users in deciders.values() for user in users}
    invitation_of = {
        invitation.recipient_id: invitation
        for invitation in ConsentInvitation.objects.filter(campaign=campaign, recipient_id__in=person_ids)
    }
    follow_up = {group.pk: GroupFollowUp() for group in groups}
    for pupil in pupils:
        contacts = [FamilyContact(person=user, invitation=invitation_of.get(user.pk)) for user in deciders[pupil.pk]]
        follow_up[pupil.group_id].pupils.append((pupil, contacts))
    reminders = list(campaign.reminders.select_related("group", "sent_by"))
    for reminder in reversed(reminders):  # oldest first, so the newest stays
        if reminder.group_id in follow_up:
            follow_up[reminder.group_id].last_reminder = reminder
    for group in groups:
        group.follow_up = follow_up[group.pk]
    total = sum(g.pupil_count for g in groups)
    answered = sum(g.answered_count for g in groups)
    return {
        "campaign": campaign,
        "is_open": campaign.closes_at > timezone.now(),
        "groups": groups,
        "invitations": invitations,
        "reminders": reminders,
        "pupil_count": total,
        "answered_count": answered,
        "response_rate": round(100 * answered / total) if total else 0,
    }


# For staff: group overview and photo check ---------------------------------------------------------


def consent_by_pupil(pupils) -> list[tuple[Pupil, CurrentConsent]]:
    """Current consent of many pupils in three queries, whatever their number.

    Decisions and guardian links are read in one query each and grouped here: prefetch_related's
    per-object managers cost more than the query itself at a thousand pupils (`make bench`).
    """
    from collections import defaultdict

    from accounts.models import Guardianship

    today = timezone.localdate()
    pupils = pupils.order_by("last_name", "first_name")
    pupil_list = list(pupils)
    ids = pupils.values("pk")
    guardians: dict[int, set[int]] = defaultdict(set)
    for pupil_id, guardian_id in Guardianship.objects.filter(pupil_id__in=ids).values_list("pupil_id", "guardian_id"):
        guardians[pupil_id].add(guardian_id)
    decisions: dict[int, list[ConsentDecision]] = defaultdict(list)
    for decision in (
        ConsentDecision.objects.filter(pupil_id__in=ids)
        .select_related("decided_by")
        .only(
            "pk",
            "pupil_id",
            "decided_by_id",
            "basis",
            "answers",
            "decided_at",
            "decided_by__first_name",
            "decided_by__last_name",
            "decided_by__email",
        )
        .order_by("-decided_at", "-pk")
    ):
        decisions[decision.pupil_id].append(decision)
    return [
        (
            pupil,
            current_consent_for_pupil(pupil, on=today, decisions=decisions[pupil.pk], guardian_ids=guardians[pupil.pk]),
        )
        for pupil in pupil_list
    ]


def group_overview(*, group, form: ConsentForm) -> list[dict]:
    """Per pupil: per purpose of the form, the media that may NOT be used (opt-in: no answer is no)."""
    rows = []
    purposes = [(p["code"], p["label"]) for p in form.purposes]
    media = [(m["code"], m["label"]) for m in form.media]
    for pupil, consent in consent_by_pupil(group.pupils.all()):
        # Per purpose: its label, and "" when everything may, else the refused media ("Foto, Film").
        cells = [
            (label, ", ".join(medium for code, medium in media if not consent.allows(purpose, code)))
            for purpose, label in purposes
        ]
        rows.append(
            {"pupil": pupil, "consent": consent, "cells": cells, "all_clear": not any(refused for _l, refused in cells)}
        )
    return rows


def staff_of_school(*, school):
    """Staff and leaders of a school: the people a photo check can pick besides the pupils."""
    from accounts.constants import Role

    return (
        User.objects.filter(
            role_assignments__school=school, role_assignments__role__in=[Role.STAFF, Role.SCHOOL_LEADER], is_active=True
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def consent_by_staff(staff) -> list[tuple[User, CurrentConsent]]:
    """Current consent of many staff members in a fixed number of queries."""
    members = list(
        staff.prefetch_related(
            Prefetch(
                "own_consent_decisions",
                queryset=ConsentDecision.objects.select_related("decided_by").order_by("-decided_at", "-pk"),
                to_attr="newest_decisions",
            )
        )
    )
    return [(member, _combine_restrictive(member.newest_decisions[:1])) for member in members]


@dataclass
class PhotoCheck:
    allowed: bool
    blockers: list[tuple[Pupil | User, str]]
    snapshot: dict[str, list[int]]


def photo_check(*, pupils, purpose: str, medium: str, staff=None) -> PhotoCheck:
    """May a picture of these pupils (and staff) go to this channel? If not, who blocks it and why.

    The snapshot keeps the decisions that counted: pupils by id, staff as "staff:<id>".
    """
    blockers: list[tuple[Pupil | User, str]] = []
    snapshot: dict[str, list[int]] = {}
    for pupil, consent in consent_by_pupil(pupils):
        snapshot[str(pupil.pk)] = [d.pk for d in consent.counting]
        if consent.allows(purpose, medium):
            continue
        if not consent.has_decision:
            reason = _("nog geen toestemming gegeven")
        elif (purpose, medium) in consent.disagreements:
            reason = _("%(names)s gaf geen toestemming") % {
                "names": ", ".join(consent.disagreements[(purpose, medium)])
            }
        elif consent.decided_by_pupil:
            reason = _("de leerling gaf zelf geen toestemming")
        else:
            reason = _("geen toestemming van ouder/verzorger")
        blockers.append((pupil, reason))
    for member, consent in consent_by_staff(staff) if staff is not None else []:
        snapshot[f"staff:{member.pk}"] = [d.pk for d in consent.counting]
        if not consent.allows(purpose, medium):
            reason = _("gaf zelf geen toestemming") if consent.has_decision else _("nog geen toestemming gegeven")
            blockers.append((member, reason))
    return PhotoCheck(allowed=not blockers, blockers=blockers, snapshot=snapshot)


def takedown_tasks_for(*, user: User):
    """Takedown tasks ``user`` sees (access.takedown_tasks_visible_to), open ones first and, among
    them, the most overdue first; then the ones done, newest first."""
    from django.db.models import F

    return (
        takedown_tasks_visible_to(user=user)
        .select_related(
            "publication__group__school", "publication__created_by", "pupil", "staff_member", "assigned_to", "done_by"
        )
        .order_by(F("done_at").desc(nulls_first=True), "due_at", "pk")
    )


# Publications (leaders) ------------------------------------------------------------------------------


def publications_for(
    *,
    user: User,
    school=None,
    group=None,
    purpose: str = "",
    medium: str = "",
    published_from: datetime.date | None = None,
    published_until: datetime.date | None = None,
    person: str = "",
    open_takedown: bool = False,
):
    """Recorded publications of the schools ``user`` oversees (access.publication_schools_for),
    newest first, with who is in them and how many takedowns are open, filtered as asked.

    A picture of several groups (a school trip) is found under each group one of its pupils is in.
    ``person`` matches every word against the first, middle or last name of a pupil or staff member
    in the picture.
    """
    from django.db.models import Count

    from accounts.models import Pupil as PupilModel

    from .models import Publication

    publications = Publication.objects.filter(group__school__in=publication_schools_for(user=user))
    if school is not None:
        publications = publications.filter(group__school=school)
    if group is not None:
        publications = publications.filter(Q(group=group) | Q(pupils__group=group))
    if purpose:
        publications = publications.filter(purpose=purpose)
    if medium:
        publications = publications.filter(medium=medium)
    if published_from:
        publications = publications.filter(published_at__date__gte=published_from)
    if published_until:
        publications = publications.filter(published_at__date__lte=published_until)
    for word in person.split():
        pupils = PupilModel.objects.filter(
            Q(first_name__icontains=word) | Q(infix__icontains=word) | Q(last_name__icontains=word)
        )
        staff = User.objects.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        publications = publications.filter(Q(pupils__in=pupils) | Q(staff_members__in=staff))
    if open_takedown:
        from django.db.models import Exists, OuterRef

        from .models import TakedownTask

        publications = publications.filter(
            Exists(TakedownTask.objects.filter(publication=OuterRef("pk"), done_at__isnull=True))
        )
    ids = publications.values("pk")
    return (
        Publication.objects.filter(pk__in=ids)
        .select_related("group__school", "created_by")
        .prefetch_related(
            Prefetch("pupils", queryset=PupilModel.objects.select_related("group").order_by("last_name", "first_name")),
            Prefetch("staff_members", queryset=User.objects.order_by("last_name", "first_name")),
        )
        .annotate(open_takedowns=Count("takedowns", filter=Q(takedowns__done_at__isnull=True)))
        .order_by("-published_at", "-pk")
    )


# The home page of a parent, pupil or staff member -----------------------------------------------------


@dataclass
class HomeConsentLine:
    """One person on the home page: what applies now, in a sentence's worth of words."""

    card: ConsentCard
    # "Website van de school: foto, film" per purpose where anything may; empty when nothing may.
    allowed: list[str]


@dataclass
class HomeConsent:
    lines: list[HomeConsentLine]
    # The running campaigns that asked this person (ConsentInvitation, with campaign and school).
    invitations: list


def consent_home_for(*, user: User) -> HomeConsent | None:
    """What the home page shows about consent: each child's (or one's own) consent that applies now,
    and the campaigns running now that asked this person. None when no consent concerns them."""
    from .models import ConsentInvitation

    form = consent_form_current()
    if form is None:
        return None
    form = consent_form_text(form)  # the labels in the reader's language
    cards = consent_cards_for(user=user, form=form)
    if not cards:
        return None
    lines = []
    for card in cards:
        allowed = []
        for purpose in form.purposes:
            media = [m["label"].lower() for m in form.media if card.current.allows(purpose["code"], m["code"])]
            if media:
                allowed.append(f"{purpose['label']}: {', '.join(media)}")
        lines.append(HomeConsentLine(card=card, allowed=allowed))
    invitations = list(
        ConsentInvitation.objects.filter(recipient=user, campaign__closes_at__gt=timezone.now())
        .select_related("campaign__school")
        .order_by("-campaign__started_at")
    )
    return HomeConsent(lines=lines, invitations=invitations)


# Pupils of 16 and older, for the school ----------------------------------------------------------------


def pupils_of_sixteen_for(*, user: User):
    """Pupils of 16 or older of the schools ``user`` runs campaigns for (access.campaign_schools_for),
    with when their own choice was last made (``own_decided_at``; None: not yet) and the school's
    invitation (``age_of_consent_notice``). One query."""
    from django.db.models import Max

    return (
        Pupil.objects.filter(school__in=campaign_schools_for(user=user), date_of_birth__lte=sixteenth_birthday_cutoff())
        .select_related("school", "group", "user", "age_of_consent_notice", "age_of_consent_notice__pupil_invited_by")
        .annotate(
            own_decided_at=Max("consent_decisions__decided_at", filter=Q(consent_decisions__basis=Basis.PUPIL_SELF))
        )
        .order_by("school__name", "last_name", "first_name", "pk")
    )


def consent_history_checks() -> list[ChainReport]:
    """Each person's chain of consent decisions recomputed from the stored rows (common/hashchain.py),
    a person with decisions but no head included: what was changed or removed outside the portal."""
    heads = list(ConsentChainHead.objects.order_by("pk"))
    pupils = {head.pupil_id for head in heads if head.pupil_id}
    staff = {head.staff_member_id for head in heads if head.staff_member_id}
    decided = ConsentDecision.objects.values_list("pupil_id", "staff_member_id").distinct()
    for pupil_id, staff_member_id in decided:
        if pupil_id and pupil_id not in pupils:
            pupils.add(pupil_id)
            heads.append(ConsentChainHead(pupil_id=pupil_id))
        elif staff_member_id and not pupil_id and staff_member_id not in staff:
            staff.add(staff_member_id)
            heads.append(ConsentChainHead(staff_member_id=staff_member_id))
    return [chain_verify(head) for head in heads]
