"""Writes of questions to one's leader: ask, reply, turn into a case, erase after the retention term.

E-mails say only that there is a question or an answer, with a link; never what it is about."""

from __future__ import annotations

import datetime
import logging
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import School, User
from common.refusals import ActionRefused
from common.vault import data_key_destroy
from notifications.services import notification_send
from reports.constants import PartyRole, ReporterRole, TimelineKind
from reports.models import Case
from reports.services import case_timeline_add, report_submit
from retention.services import term_days

from .access import asks_the_board, check_convert, check_reply, consultation_leaders, schools_to_ask_in
from .models import Consultation, ConsultationMessage

logger = logging.getLogger(__name__)


def _link(consultation: Consultation) -> str:
    return reverse("consultations:detail", kwargs={"pk": consultation.pk})


def _body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Schrijf uw bericht.")})
    return body


def _tell_leaders(consultation: Consultation, *, template: str) -> None:
    leaders = list(consultation_leaders(consultation=consultation))
    if not leaders:
        logger.error("Consultation %s has no leader to tell; check the roles.", consultation.pk)
    for leader in leaders:
        notification_send(
            template=template,
            recipient=leader,
            context={"school_name": consultation.school.name},
            link=_link(consultation),
        )


def _tell_asker(consultation: Consultation, *, template: str) -> None:
    notification_send(
        template=template,
        recipient=consultation.asker,
        context={"school_name": consultation.school.name},
        link=_link(consultation),
    )


def consultation_start(*, asker: User, school: School, topic: str, body: str) -> Consultation:
    """A staff member asks their leader (B.3, B.4); the leaders are told there is a question."""
    if not schools_to_ask_in(user=asker).filter(pk=school.pk).exists():
        raise ActionRefused(_("U werkt niet op deze school."))
    body = _body(body)
    now = timezone.now()
    with transaction.atomic():
        consultation = Consultation.objects.create(
            asker=asker,
            school=school,
            topic=topic,
            for_board=asks_the_board(user=asker, school=school),
            created_at=now,
            last_message_at=now,
        )
        ConsultationMessage.objects.create(consultation=consultation, author=asker, body=body, created_at=now)
        _tell_leaders(consultation, template="consultations/email/question")
    return consultation


def consultation_reply(*, consultation: Consultation, by: User, body: str) -> ConsultationMessage:
    """Either side answers; the other side is told (the asker, or the leaders)."""
    check_reply(user=by, consultation=consultation)
    body = _body(body)
    now = timezone.now()
    with transaction.atomic():
        message = ConsultationMessage.objects.create(consultation=consultation, author=by, body=body, created_at=now)
        Consultation.objects.filter(pk=consultation.pk).update(last_message_at=now)
        consultation.last_message_at = now
        if by.pk == consultation.asker_id:
            _tell_leaders(consultation, template="consultations/email/reply_to_leader")
        else:
            _tell_asker(consultation, template="consultations/email/reply_to_asker")
    return message


def consultation_to_case(
    *,
    consultation: Consultation,
    by: User,
    category: str,
    platform: str,
    happened_on: datetime.date,
    description: str,
) -> Case:
    """The leader finds the question is an incident after all: a report by the asker (named, a staff
    member) opens a case in the school's case file; the case's timeline says where it came from, the
    asker is told, and the thread is closed for replies. The report keeps the asker's name only (no
    e-mail): the asker gets no receipt code, the leader talks to them directly. A school leader's own
    question (``for_board``) becomes a case about the leadership: the board's alone."""
    check_convert(user=by, consultation=consultation)
    description = description.strip()
    if not description:
        raise ValidationError({"description": _("Beschrijf wat er is gebeurd.")})
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        check_convert(user=by, consultation=locked)
        report, _code = report_submit(
            school=locked.school,
            category=category,
            platform=platform,
            happened_on=happened_on,
            description=description,
            involved_roles=[PartyRole.STAFF],
            # A leader's own question was the board's: so is the case made of it (about the leadership).
            is_about_leadership=locked.for_board,
            reporter_role=ReporterRole.STAFF,
            is_anonymous=False,
            reporter_name=locked.asker.get_full_name() or str(locked.asker),
            submission_key=f"consultation-{locked.pk}-{secrets.token_urlsafe(16)}",
        )
        case = report.case
        case_timeline_add(
            case=case,
            kind=TimelineKind.NOTE,
            author=by,
            summary=_("Ontstaan uit een vraag om overleg van %(asker)s (protocol B.3, B.4), gesteld op %(day)s.")
            % {"asker": locked.asker, "day": timezone.localdate(locked.created_at).strftime("%d-%m-%Y")},
            data={"consultation_id": locked.pk},
        )
        now = timezone.now()
        locked.case = case
        locked.converted_by = by
        locked.converted_at = now
        locked.last_message_at = now
        locked.save(update_fields=["case", "converted_by", "converted_at", "last_message_at"])
        _tell_asker(locked, template="consultations/email/made_case")
    for name in ("case_id", "converted_by_id", "converted_at", "last_message_at"):
        setattr(consultation, name, getattr(locked, name))
    return case


CONSULTATION_KIND = "consultation"


def consultations_quiet_since(cutoff: datetime.datetime):
    """Retention kind "consultation": threads whose last message is older than ``cutoff``."""
    return Consultation.objects.filter(last_message_at__lt=cutoff)


def consultations_erase(consultations, now: datetime.datetime) -> int:
    """Erase the threads (with their messages); returns how many. A case made of one lives on in
    the case file under the case's own term."""
    count = 0
    for pk, key_id in consultations.values_list("pk", "data_key"):
        with transaction.atomic():
            Consultation.objects.filter(pk=pk).delete()
            # Crypto-shredding (common/vault.py): with its data key gone, the thread stays unreadable
            # in every backup and copy of the database taken before today. After the commit, so a
            # rollback keeps a thread that is still there readable.
            transaction.on_commit(lambda key_id=key_id: data_key_destroy(key_id))
        logger.info("Consultation %s erased after its retention term.", pk)
        count += 1
    return count


def consultation_retention_purge(*, now: datetime.datetime | None = None) -> int:
    """Erase every thread whose last message is older than the board's term for consultations
    (retention kind "consultation", default CONSULTATION_RETENTION_DAYS; AVG art. 5(1)(e)): a
    question is kept only as long as it is needed. Returns how many were erased."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=term_days(CONSULTATION_KIND))
    return consultations_erase(consultations_quiet_since(cutoff), now)
