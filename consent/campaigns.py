"""The yearly consent campaign: invitations with one link for the whole school year, reminders, response rate."""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from datetime import datetime, timedelta
from http import HTTPStatus

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.constants import Role
from accounts.models import Group, Pupil, RoleAssignment, School, User, current_school_year
from common.refusals import ActionRefused
from notifications.services import notification_send, notification_send_bulk

from .access import decides_own_consent_as_staff, may_run_campaign, pupils_decided_for_by, sixteenth_birthday_cutoff
from .constants import Basis
from .models import CampaignReminder, ConsentCampaign, ConsentInvitation, ConsentTextChange

# A campaign's links work until the school year ends (a new one starts on 1 August,
# accounts.models.current_school_year): changing or withdrawing is as easy as giving, all year
# (AVG art. 7(3)). A campaign started in the last weeks of a year still gets this long.
CAMPAIGN_MIN_VALIDITY = timedelta(days=30)
# A campaign with invitations still unsent this long after its start is handed to the queue again.
CAMPAIGN_RESUME_AFTER = timedelta(minutes=5)

logger = logging.getLogger(__name__)
REMINDER_INTERVAL = timedelta(days=7)  # reminders after 7 and 14 days
MAX_REMINDERS = 2
# No flood: nobody gets a second reminder within a day, whether it came automatically or from a leader.
REMIND_AGAIN_AFTER = timedelta(hours=24)
SEND_BATCH_SIZE = 250


# Namespaces the HMAC of campaign links, so no other HMAC under SECRET_KEY yields the same value.
INVITATION_TOKEN_KEY_SALT = "consent.campaigns.invitation_link"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _derived_token(invitation: ConsentInvitation, secret: str) -> str:
    digest = salted_hmac(
        INVITATION_TOKEN_KEY_SALT,
        f"{invitation.pk}:{invitation.token_salt}",
        secret=secret,
        algorithm="sha256",
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def invitation_token(invitation: ConsentInvitation) -> str:
    """The token of an invitation's link: the same in the invitation and in every reminder, for the
    campaign's life (changing and withdrawing is as easy as giving, AVG art. 7(3)).

    Like Django's password-reset tokens it is derived, never stored: an HMAC under SECRET_KEY (which
    is not in the database) of the invitation's id and a random salt of its own. The row keeps the
    salt and a SHA-256 of the token for the lookup (``invitation_for_token``), so a database dump
    gives no working link. An invitation without a salt yet (sent before links were derived, or never
    sent) gets one here; its earlier random link keeps working until this new link replaces its hash.
    A link derived under a key in SECRET_KEY_FALLBACKS is kept while that key is listed, so rotating
    SECRET_KEY does not change links already mailed. The caller saves ``token_salt`` and ``token_hash``.
    """
    if not invitation.token_salt:
        invitation.token_salt = secrets.token_hex(16)
    elif invitation.token_hash:
        for old_key in settings.SECRET_KEY_FALLBACKS:
            token = _derived_token(invitation, old_key)
            if _hash(token) == invitation.token_hash:
                return token
    token = _derived_token(invitation, settings.SECRET_KEY)
    invitation.token_hash = _hash(token)
    return token


def campaign_recipient_ids(*, school: School) -> set[int]:
    """Guardians of pupils under 16, pupils of 16+ with a login, and the school's staff."""
    cutoff = sixteenth_birthday_cutoff()
    guardians = Pupil.objects.filter(school=school, date_of_birth__gt=cutoff).values_list(
        "guardianships__guardian_id", flat=True
    )
    pupils = Pupil.objects.filter(school=school, date_of_birth__lte=cutoff, user__isnull=False).values_list(
        "user_id", flat=True
    )
    staff = RoleAssignment.objects.filter(school=school, role__in=[Role.STAFF, Role.SCHOOL_LEADER]).values_list(
        "user_id", flat=True
    )
    return {pk for pk in (*guardians, *pupils, *staff) if pk is not None}


def school_year_end(school_year: str) -> datetime:
    """The moment a school year such as "2026-2027" ends: 1 August 2027, 00:00 local time."""
    end_year = int(school_year.split("-")[1])
    return timezone.make_aware(datetime(end_year, 8, 1))


def campaign_links_valid_until(*, school_year: str, now: datetime) -> datetime:
    return max(school_year_end(school_year), now + CAMPAIGN_MIN_VALIDITY)


def consent_campaign_start(*, school: School, school_year: str, started_by: User) -> ConsentCampaign:
    """Start the campaign and hand the invitations to the queue; sending happens in batches.

    ActionRefused unless ``started_by`` leads the school or is on the board (access.may_run_campaign:
    not the back office), when no form is published, or when the school's campaign of that year runs.
    """
    return _campaign_create(
        school=school,
        school_year=school_year,
        started_by=started_by,
        text_change=None,
        already=_("Voor %(school)s loopt in %(year)s al een campagne.") % {"school": school, "year": school_year},
    )


def consent_round_start(*, school: School, text_change: ConsentTextChange, started_by: User) -> ConsentCampaign:
    """A new round after consent's text changed (protocol A.5): everyone the school asks for consent
    is invited again, with the same links, reminders and dashboard as the yearly campaign. Earlier
    answers stay on record and count until a new answer replaces them.

    ActionRefused as ``consent_campaign_start``, and when the school already started this round.
    """
    return _campaign_create(
        school=school,
        school_year=current_school_year(),
        started_by=started_by,
        text_change=text_change,
        already=_("Voor %(school)s is deze nieuwe ronde al gestart.") % {"school": school},
    )


def _campaign_create(
    *, school: School, school_year: str, started_by: User, text_change: ConsentTextChange | None, already: str
) -> ConsentCampaign:
    from .selectors import consent_form_current

    if not may_run_campaign(user=started_by, school=school):
        raise ActionRefused(_("Alleen de schoolleiding en het bestuur starten een toestemmingscampagne."))
    form = consent_form_current()
    if form is None:
        raise ActionRefused(_("Er is nog geen toestemmingsformulier gepubliceerd."))
    now = timezone.now()
    try:
        with transaction.atomic():
            campaign = ConsentCampaign.objects.create(
                school=school,
                school_year=school_year,
                form=form,
                started_by=started_by,
                started_at=now,
                closes_at=campaign_links_valid_until(school_year=school_year, now=now),
                text_change=text_change,
            )
    except IntegrityError as error:
        raise ActionRefused(already) from error
    with transaction.atomic():
        ConsentInvitation.objects.bulk_create(
            [ConsentInvitation(campaign=campaign, recipient_id=pk) for pk in campaign_recipient_ids(school=school)],
            batch_size=1000,
        )
        transaction.on_commit(lambda: consent_campaign_enqueue(campaign_id=campaign.pk))
    return campaign


def consent_rounds_offered(*, user: User) -> list[tuple[School, ConsentTextChange]]:
    """The new rounds ``user`` may start: for each school they run campaigns for, every change of
    consent's text that school has not started a round for yet, newest first. Two queries."""
    from .access import campaign_schools_for

    schools = list(campaign_schools_for(user=user).order_by("name"))
    if not schools:
        return []
    changes = list(ConsentTextChange.objects.order_by("-changed_at", "-pk"))
    started = set(
        ConsentCampaign.objects.filter(school__in=schools, text_change__isnull=False).values_list(
            "school_id", "text_change_id"
        )
    )
    return [(school, change) for change in changes for school in schools if (school.pk, change.pk) not in started]


def consent_campaign_enqueue(*, campaign_id: int) -> None:
    """Hand a campaign's sending to a worker. With the broker down nothing is lost: the invitations
    stay unsent and ``consent_campaign_resume`` (beat) hands the campaign over again."""
    from .tasks import consent_campaign_send_task

    try:
        consent_campaign_send_task.delay(campaign_id)
    except Exception:  # noqa: BLE001 — any broker failure; the resume task picks the campaign up
        logger.warning("Broker unavailable; campaign %s is sent once the broker is back.", campaign_id)


def consent_campaign_resume(*, now: datetime | None = None) -> int:
    """Campaigns with invitations still unsent a while after their start go to the queue again.

    Sending is idempotent (each batch locks its rows and marks them sent), so a campaign that was
    only slow is not sent twice. Returns how many campaigns were handed over.
    """
    now = now or timezone.now()
    stalled = (
        ConsentInvitation.objects.filter(
            sent_at__isnull=True, campaign__started_at__lt=now - CAMPAIGN_RESUME_AFTER, campaign__closes_at__gt=now
        )
        .values_list("campaign_id", flat=True)
        .distinct()
    )
    campaign_ids = list(stalled)
    for campaign_id in campaign_ids:
        consent_campaign_enqueue(campaign_id=campaign_id)
    return len(campaign_ids)


def _invite_all(invitations: list[ConsentInvitation], *, template: str) -> None:
    """Each invitation's link (the same in every e-mail: ``invitation_token``), all queued at once."""
    if not invitations:
        return
    messages = []
    for invitation in invitations:
        token = invitation_token(invitation)
        context = {"school": invitation.campaign.school.name, "closes": f"{invitation.campaign.closes_at:%d-%m-%Y}"}
        messages.append((invitation.recipient, context, reverse("consent:invitation_link", kwargs={"token": token})))
    notification_send_bulk(template=template, messages=messages)


def consent_campaign_send_batch(*, campaign_id: int, batch_size: int = SEND_BATCH_SIZE) -> int:
    """Send the next batch of unsent invitations; returns how many were sent (0: all done)."""
    with transaction.atomic():
        batch = list(
            ConsentInvitation.objects.select_for_update(skip_locked=True)
            .filter(campaign_id=campaign_id, sent_at__isnull=True)
            .select_related("recipient", "campaign__school")[:batch_size]
        )
        # A new round says why the family is asked again (protocol A.5: the text changed).
        again = bool(batch) and batch[0].campaign.text_change_id is not None
        _invite_all(batch, template="consent/email/invitation_again" if again else "consent/email/invitation")
        ConsentInvitation.objects.bulk_update(batch, ["token_salt", "token_hash"])
        ConsentInvitation.objects.filter(pk__in=[i.pk for i in batch]).update(sent_at=timezone.now())
    return len(batch)


def consent_campaign_remind(*, now: datetime | None = None) -> int:
    """Remind who has not answered, 7 and 14 days after the invitation (Celery beat, hourly).

    Whoever a leader reminded in the last day (``REMIND_AGAIN_AFTER``) waits; each campaign's round is
    logged (CampaignReminder) for its dashboard.
    """
    now = now or timezone.now()
    due = Q()
    for count in range(MAX_REMINDERS):
        due |= Q(reminders_sent=count, sent_at__lte=now - REMINDER_INTERVAL * (count + 1))
    with transaction.atomic():
        batch = list(
            ConsentInvitation.objects.select_for_update(skip_locked=True)
            .filter(due, responded_at__isnull=True, campaign__closes_at__gt=now)
            .exclude(last_reminded_at__gt=now - REMIND_AGAIN_AFTER)
            .select_related("recipient", "campaign__school")
        )
        # The reminder carries the invitation's own link: the first e-mail's link keeps working.
        _invite_all(batch, template="consent/email/reminder")
        for invitation in batch:
            invitation.reminders_sent += 1
            invitation.last_reminded_at = now
        ConsentInvitation.objects.bulk_update(batch, ["token_salt", "token_hash", "reminders_sent", "last_reminded_at"])
        per_campaign: dict[int, int] = {}
        for invitation in batch:
            if invitation.recipient.email:
                per_campaign[invitation.campaign_id] = per_campaign.get(invitation.campaign_id, 0) + 1
        CampaignReminder.objects.bulk_create(
            [
                CampaignReminder(campaign_id=campaign_id, sent_at=now, recipient_count=count)
                for campaign_id, count in per_campaign.items()
            ]
        )
    return len(batch)


def pupils_without_answer(*, campaign: ConsentCampaign, groups) -> list[Pupil]:
    """Pupils of ``groups`` (a queryset) for whom nobody decided since the campaign started, with
    their login. One query."""
    return list(
        Pupil.objects.filter(group__in=groups)
        .exclude(consent_decisions__decided_at__gte=campaign.started_at)
        .select_related("user")
        .order_by("last_name", "first_name", "pk")
    )


def deciders_by_pupil(pupils: list[Pupil]) -> dict[int, list[User]]:
    """Who decides for each pupil today (access.consent_deciders_for, for many pupils at once): the
    guardians under 16, the pupil's own login from 16 (nobody without one). One query."""
    from accounts.models import Guardianship

    cutoff = sixteenth_birthday_cutoff()
    deciders: dict[int, list[User]] = {pupil.pk: [] for pupil in pupils}
    for pupil in pupils:
        if pupil.date_of_birth <= cutoff and pupil.user_id:
            deciders[pupil.pk].append(pupil.user)
    under_sixteen = [pupil.pk for pupil in pupils if pupil.date_of_birth > cutoff]
    for guardianship in (
        Guardianship.objects.filter(pupil_id__in=under_sixteen)
        .select_related("guardian")
        .order_by("guardian__last_name", "pk")
    ):
        deciders[guardianship.pupil_id].append(guardianship.guardian)
    return deciders


def is_reminded_recently(invitation: ConsentInvitation, *, now: datetime) -> bool:
    """Invited or reminded within ``REMIND_AGAIN_AFTER``: a new reminder would be a flood."""
    last = max(filter(None, (invitation.sent_at, invitation.last_reminded_at)), default=None)
    return last is not None and last > now - REMIND_AGAIN_AFTER


def consent_campaign_remind_group(*, campaign: ConsentCampaign, group: Group, by: User) -> int:
    """A leader's "herinner nu": remind the families of ``group`` that have not answered, now.

    Through the notification queue, as mass mail; who was invited or reminded in the last day is
    skipped, so a double click or a second tab sends nothing twice (the campaign row is locked while
    deciding, and the second call finds everyone reminded). A guardian added after the start gets
    the invitation itself. Returns how many people were reminded; ActionRefused (with when the last
    reminder went) when nobody is due, the campaign has closed, or ``by`` does not run it.
    """
    if not may_run_campaign(user=by, school=campaign.school):
        raise ActionRefused(
            _("Alleen de schoolleiding en het bestuur sturen herinneringen."), status=HTTPStatus.NOT_FOUND
        )
    if group.school_id != campaign.school_id or group.school_year != campaign.school_year:
        raise ActionRefused(_("Deze groep hoort niet bij deze campagne."), status=HTTPStatus.NOT_FOUND)
    now = timezone.now()
    if campaign.closes_at <= now:
        raise ActionRefused(
            _("Deze campagne is gesloten: de links werken niet meer. Start volgend schooljaar een nieuwe.")
        )
    with transaction.atomic():
        ConsentCampaign.objects.select_for_update().filter(pk=campaign.pk).first()  # two tabs wait here
        pupils = pupils_without_answer(campaign=campaign, groups=Group.objects.filter(pk=group.pk))
        decider_ids = {user.pk for users in deciders_by_pupil(pupils).values() for user in users}
        ConsentInvitation.objects.bulk_create(
            [ConsentInvitation(campaign=campaign, recipient_id=pk) for pk in decider_ids], ignore_conflicts=True
        )
        invitations = list(
            ConsentInvitation.objects.select_for_update(of=("self",))
            .filter(campaign=campaign, recipient_id__in=decider_ids, responded_at__isnull=True)
            .exclude(recipient__email="")
            .filter(recipient__is_active=True)
            .select_related("recipient", "campaign__school")
            .order_by("pk")
        )
        due = [invitation for invitation in invitations if not is_reminded_recently(invitation, now=now)]
        if not due:
            last = CampaignReminder.objects.filter(campaign=campaign, group=group).first()
            if invitations and last is not None:
                raise ActionRefused(
                    _(
                        "Deze ouders/verzorgers kregen op %(when)s al een herinnering. Een nieuwe kan vanaf "
                        "%(next)s, zodat niemand overspoeld wordt."
                    )
                    % {
                        "when": date_format(timezone.localtime(last.sent_at), "j F Y H:i"),
                        "next": date_format(timezone.localtime(last.sent_at + REMIND_AGAIN_AFTER), "j F Y H:i"),
                    }
                )
            if invitations:
                raise ActionRefused(
                    _("Iedereen in deze groep kreeg de afgelopen 24 uur al een uitnodiging of herinnering.")
                )
            raise ActionRefused(_("Er is niemand in deze groep om te herinneren."))
        first_time = [invitation for invitation in due if invitation.sent_at is None]
        again = [invitation for invitation in due if invitation.sent_at is not None]
        _invite_all(first_time, template="consent/email/invitation")
        _invite_all(again, template="consent/email/reminder")
        for invitation in first_time:
            invitation.sent_at = now
        for invitation in again:
            invitation.reminders_sent += 1
            invitation.last_reminded_at = now
        ConsentInvitation.objects.bulk_update(
            due, ["token_salt", "token_hash", "sent_at", "reminders_sent", "last_reminded_at"]
        )
        CampaignReminder.objects.create(
            campaign=campaign, group=group, sent_by=by, sent_at=now, recipient_count=len(due)
        )
    logger.info("Campaign %s: %s reminded %s people of group %s.", campaign.pk, by.pk, len(due), group.pk)
    return len(due)


def invitation_for_token(token: str, *, lock: bool = False) -> ConsentInvitation:
    """The invitation of an e-mailed link; ActionRefused with status 410 (its page says why and how
    to get a new link) when the link is unknown or past the campaign's end. A link is used as often
    as its recipient likes until then, to answer, change and withdraw; reminders carry the same link."""
    queryset = ConsentInvitation.objects.select_related("recipient", "campaign__school", "campaign__form")
    if lock:
        queryset = queryset.select_for_update()
    invitation = queryset.filter(token_hash=_hash(token)).first() if token else None
    if invitation is None:
        raise ActionRefused(
            _("Deze link klopt niet. Gebruik de link uit de nieuwste e-mail van de school, of log in op de portal."),
            status=HTTPStatus.GONE,
        )
    if invitation.campaign.closes_at <= timezone.now():
        raise ActionRefused(
            _(
                "Deze link is verlopen: hij werkte tot het einde van het schooljaar. "
                "Log in op de portal om uw keuze te maken of te wijzigen."
            ),
            status=HTTPStatus.GONE,
        )
    return invitation


def invitation_subjects(invitation: ConsentInvitation) -> list[Pupil | User]:
    """Whom this link lets the recipient decide for today: own children under 16, themselves from 16
    (access.pupils_decided_for_by), and themselves as a staff member."""
    user = invitation.recipient
    subjects: list[Pupil | User] = list(pupils_decided_for_by(user=user).order_by("first_name", "pk"))
    if decides_own_consent_as_staff(user):
        subjects.append(user)
    return subjects


def invitation_mark_used(invitation: ConsentInvitation) -> None:
    """Note when a link was first used to send the form (the campaign dashboard's business)."""
    if invitation.link_used_at is None:
        ConsentInvitation.objects.filter(pk=invitation.pk, link_used_at__isnull=True).update(
            link_used_at=timezone.now()
        )


def subject_key(subject: Pupil | User) -> str:
    return f"p{subject.pk}" if isinstance(subject, Pupil) else "self"


def campaign_response_by_group(campaign: ConsentCampaign) -> list[Group]:
    """Groups of the campaign's school and year with pupil counts and how many have an answer since
    the campaign started. Two queries, whatever the number of groups."""
    return list(
        Group.objects.filter(school=campaign.school, school_year=campaign.school_year)
        .annotate(
            pupil_count=Count("pupils", distinct=True),
            answered_count=Count(
                "pupils",
                filter=Q(pupils__consent_decisions__decided_at__gte=campaign.started_at),
                distinct=True,
            ),
        )
        .order_by("grade", "name")
    )


def consent_age_of_consent_notify(*, batch_size: int = 200) -> int:
    """Pupils who turned 16 without deciding themselves: ask them (AVG art. 8), tell the guardians.

    The guardians' answers stay in force until the pupil decides (selectors.current_consent_for_pupil).
    A pupil without a login cannot be asked by e-mail: the school's leadership is told instead, so
    someone records the pupil's address or a paper form. Once per pupil (AgeOfConsentNotice);
    run every six hours by beat, it also catches up after days it did not run. The e-mails go with the mass
    mail (``bulk``): nobody is waiting for them at that moment.
    """
    from .models import AgeOfConsentNotice

    cutoff = sixteenth_birthday_cutoff()
    pupils = list(
        Pupil.objects.filter(date_of_birth__lte=cutoff, age_of_consent_notice__isnull=True)
        .exclude(consent_decisions__basis=Basis.PUPIL_SELF)
        .select_related("user", "school", "group")
        .prefetch_related("guardians")
        .order_by("pk")[:batch_size]
    )
    now = timezone.now()
    for pupil in pupils:
        with transaction.atomic():
            # The unique notice is the lock: a second run at the same moment inserts nothing.
            _notice, created = AgeOfConsentNotice.objects.get_or_create(
                pupil=pupil, defaults={"notified_at": now, "pupil_invited": bool(pupil.user_id)}
            )
            if not created:
                continue
            context = {"first_name": pupil.first_name, "school": pupil.school.name}
            if pupil.user_id:
                notification_send(
                    template="consent/email/age_of_consent_pupil",
                    recipient=pupil.user,
                    context=context,
                    link=reverse("consent:overview"),
                    bulk=True,
                )
            else:
                leaders = User.objects.filter(
                    role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school=pupil.school, is_active=True
                ).distinct()
                link = reverse("consent:pupils_of_sixteen")  # where the school invites the pupil
                for leader in leaders:
                    notification_send(
                        template="consent/email/age_of_consent_school",
                        recipient=leader,
                        context={"school": pupil.school.name},
                        link=link,
                        bulk=True,
                    )
            for guardian in pupil.guardians.all():
                notification_send(
                    template="consent/email/age_of_consent_guardian",
                    recipient=guardian,
                    context=context,
                    link=reverse("consent:overview"),
                    bulk=True,
                )
    return len(pupils)


def consent_pupil_invite(*, pupil: Pupil, by: User, email: str = "") -> ConsentInvitation | None:
    """The school invites a pupil of 16 or older to decide about their own images (AVG art. 8).

    A pupil without a login gets one with their own address (accounts.services.pupil_login_create).
    The pupil is e-mailed a link: the running campaign's link of the school when there is one (it
    works without logging in until the school year ends), else the way to ask for a login link.
    The guardians are told that their child now decides; their answers count until the pupil chooses
    (selectors.current_consent_for_pupil). Returns the campaign invitation, if any.

    ActionRefused unless ``by`` runs the school's campaigns (access.may_run_campaign: its leaders and
    the board), when the pupil is under 16, or when the address belongs to another account.
    """
    from accounts.services import pupil_login_create

    from .models import AgeOfConsentNotice

    if not may_run_campaign(user=by, school=pupil.school):
        raise ActionRefused(_("Alleen de schoolleiding en het bestuur nodigen een leerling uit."))
    if not pupil.decides_own_consent():
        raise ActionRefused(_("%(name)s is nog geen 16: de ouders/verzorgers beslissen.") % {"name": pupil.first_name})
    if pupil.user_id is None and not email.strip():
        raise ActionRefused(_("Vul het eigen e-mailadres van de leerling in."))
    now = timezone.now()
    with transaction.atomic():
        user = pupil_login_create(pupil=pupil, email=email)
        campaign = (
            ConsentCampaign.objects.filter(school=pupil.school, closes_at__gt=now, started_at__lte=now)
            .select_related("school")
            .order_by("-started_at")
            .first()
        )
        invitation = None
        context = {"first_name": pupil.first_name, "school": pupil.school.name}
        if campaign is not None:
            invitation, _created = ConsentInvitation.objects.get_or_create(campaign=campaign, recipient=user)
            token = invitation_token(invitation)  # the same link as any earlier e-mail of this campaign
            invitation.sent_at = invitation.sent_at or now
            invitation.save(update_fields=["token_salt", "token_hash", "sent_at"])
            link = reverse("consent:invitation_link", kwargs={"token": token})
            context["closes"] = f"{campaign.closes_at:%d-%m-%Y}"
        else:
            link = reverse("accounts:link_request")
        notification_send(
            template="consent/email/pupil_invitation", recipient=user, context=context, link=link, channels=("email",)
        )
        notice, _new = AgeOfConsentNotice.objects.get_or_create(
            pupil=pupil, defaults={"notified_at": now, "pupil_invited": True}
        )
        notice.pupil_invited, notice.pupil_invited_at, notice.pupil_invited_by = True, now, by
        notice.save(update_fields=["pupil_invited", "pupil_invited_at", "pupil_invited_by"])
        for guardian in pupil.guardians.all():
            notification_send(
                template="consent/email/pupil_invited_guardian",
                recipient=guardian,
                context=context,
                link=reverse("consent:overview"),
            )
    return invitation
