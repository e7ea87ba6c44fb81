"""Sanctions: measures about people (heavy ones with board approval), escalations, person files.

Every write is also an entry on the case timeline, which ``reports`` owns (``_timeline``); whom a
case is about (``CasePerson``) and its state are reports' too, changed through reports' services.
Who may record and decide what is sanctions/access.py: a service refuses with ``ActionRefused``
when a rule there says no, and with ``ValidationError`` when a typed value is missing or wrong.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.constants import Role, SafetyRole
from accounts.models import Pupil, SafetyRoleHolder, School, User, safety_role_current_on
from common.refusals import ActionRefused
from notifications.services import notification_send
from policy.models import ProtocolVersion
from reports.access import case_falls_under_wpo_4a
from reports.constants import TimelineKind
from reports.models import Case, CasePerson
from reports.services import case_measure_in_effect, case_person_record, case_timeline_add

from . import access
from .constants import (
    HEAVY_MEASURES,
    INFORMED_KINDS,
    INSPECTOR_PHONE,
    MEASURES_BY_SUBJECT,
    SAFE_HOME_FEEDBACK_WORKING_DAYS,
    Assessment,
    EscalationKind,
    InspectieDecision,
    MeasureStatus,
    MeldcodeReminderKind,
    SafeHomeStep,
    SeriousIncidentKind,
    SubjectKind,
)
from .models import (
    Escalation,
    Measure,
    MeldcodeReminder,
    SafeHomeStatusChange,
    SafeHomeStepRecord,
    SafetyEvaluation,
    SeriousIncident,
    StaffConductFinding,
)

logger = logging.getLogger(__name__)

TIMELINE_MEASURE = TimelineKind.MEASURE
TIMELINE_ESCALATION = TimelineKind.ESCALATION


def _timeline(*, case: Case, kind: str, author: User, summary: str, data: dict | None = None) -> None:
    """One entry on the case's append-only timeline, which reports owns; sanctions writes only here."""
    case_timeline_add(case=case, kind=kind, author=author, summary=summary, data=data)


def _person(*, by: User, case: Case, subject_kind: str, staff_member, pupil, parent) -> dict:
    """The one person of ``subject_kind``, checked against who ``by`` may choose for this case."""
    if subject_kind == SubjectKind.STAFF:
        allowed = (
            staff_member is not None and access.staff_for_case(user=by, case=case).filter(pk=staff_member.pk).exists()
        )
        person = {"staff_member": staff_member}
    elif subject_kind == SubjectKind.PUPIL:
        allowed = pupil is not None and access.pupils_for_case(user=by, case=case).filter(pk=pupil.pk).exists()
        person = {"pupil": pupil}
    elif subject_kind == SubjectKind.PARENT:
        allowed = parent is not None and access.parents_for_case(user=by, case=case).filter(pk=parent.pk).exists()
        person = {"parent": parent}
    else:
        raise ValidationError(_("Kies of het om een medewerker, een leerling of een ouder/verzorger gaat."))
    if not allowed:
        raise ActionRefused(_("Kies een persoon van de school van dit dossier."))
    return {"subject_kind": subject_kind, **person}


def _link_person(*, case: Case, by: User, person: dict) -> CasePerson:
    """The case is about this person from now on (reports' CasePerson): it shows in their person file."""
    link, _created = case_person_record(case=case, by=by, **person)
    return link


def _case_measures_decided(*, case: Case, by: User) -> None:
    """A measure took effect: reports moves the case to "maatregelen besloten" where its state
    table allows it (reports.services.case_measure_in_effect). Call inside the measure's transaction:
    a refusal there (ActionRefused) undoes the measure too."""
    case_measure_in_effect(case=case, by=by)


def case_person_add(
    *,
    case: Case,
    by: User,
    subject_kind: str,
    staff_member: User | None = None,
    pupil: Pupil | None = None,
    parent: User | None = None,
) -> CasePerson:
    """Note that a case is about someone, so it shows in their person file (Sancties 2 and 5)."""
    access.check_case_recordable(user=by, case=case)
    person = _person(by=by, case=case, subject_kind=subject_kind, staff_member=staff_member, pupil=pupil, parent=parent)
    with transaction.atomic():
        link = _link_person(case=case, by=by, person=person)
        _timeline(
            case=case,
            kind=TIMELINE_MEASURE,
            author=by,
            summary=_("Betrokkene toegevoegd aan het dossier: %(name)s (%(kind)s)")
            % {"name": link.person_name, "kind": link.get_subject_kind_display()},
        )
    return link


def _tell_board_of_proposal(*, measure: Measure) -> None:
    """E-mail and inbox message to every board member who may decide; no case content."""
    approvers = list(access.measure_approvers(measure=measure))
    if not approvers:
        # The measure page says so too: nobody can approve it until a second board member is added.
        logger.error("Measure %s of case %s has no board member who may decide on it.", measure.pk, measure.case_id)
    for member in approvers:
        notification_send(
            template="sanctions/email/approval_requested",
            recipient=member,
            context={"school_name": measure.case.school.name, "case_number": measure.case.number},
            link=reverse("sanctions:approvals"),
        )


def measure_record(
    *,
    case: Case,
    by: User,
    subject_kind: str,
    kind: str,
    reason: str,
    decided_on: datetime.date,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    staff_member: User | None = None,
    pupil: Pupil | None = None,
    parent: User | None = None,
    board_consulted: bool | None = None,
    board_consulted_on: datetime.date | None = None,
) -> Measure:
    """Record a measure; a heavy one (suspension, dismissal, expulsion) is only proposed.

    A proposal waits for a board member other than the proposer (``measure_approve``); the board
    is told. A light measure is in effect at once, and the case moves to "maatregelen besloten"
    (``_case_measures_decided``). Nothing is recorded in a closed case: reopen it first.

    A light measure says whether the directeur-bestuurder was consulted and on which day
    (Toelichting: "in overleg met de directeur-bestuurder"); ValidationError when that is missing.
    For a heavy measure the board's approval is the record, so both are ignored.
    """
    access.check_case_recordable(user=by, case=case)
    person = _person(by=by, case=case, subject_kind=subject_kind, staff_member=staff_member, pupil=pupil, parent=parent)
    if kind not in MEASURES_BY_SUBJECT[subject_kind]:
        raise ValidationError(_("Deze maatregel past niet bij wie het betreft."))
    if not reason.strip():
        raise ValidationError(_("Geef de reden van de maatregel."))
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("De einddatum ligt voor de begindatum."))
    is_heavy = kind in HEAVY_MEASURES
    if is_heavy:
        board_consulted, board_consulted_on = None, None
    else:
        board_consulted_on = _check_board_consultation(consulted=board_consulted, on=board_consulted_on)
    with transaction.atomic():
        measure = Measure.objects.create(
            case=case,
            kind=kind,
            reason=reason.strip(),
            decided_on=decided_on,
            starts_on=starts_on,
            ends_on=ends_on,
            status=MeasureStatus.PROPOSED if is_heavy else MeasureStatus.IN_EFFECT,
            proposed_by=by,
            board_consulted=board_consulted,
            board_consulted_on=board_consulted_on,
            **person,
        )
        _link_person(case=case, by=by, person=person)
        if is_heavy:
            summary = _("Maatregel voorgesteld, wacht op goedkeuring van het bestuur: %(measure)s") % {
                "measure": measure
            }
        else:
            summary = _("Maatregel vastgelegd: %(measure)s") % {"measure": measure}
            summary = f"{summary}. {board_consultation_text(measure)}"
        data = {"measure": measure.pk, "kind": kind, "status": measure.status}
        if not is_heavy:
            data["board_consulted"] = board_consulted
            data["board_consulted_on"] = board_consulted_on.isoformat() if board_consulted_on else None
        _timeline(case=case, kind=TIMELINE_MEASURE, author=by, summary=summary, data=data)
        if is_heavy:
            _tell_board_of_proposal(measure=measure)
        else:
            _case_measures_decided(case=case, by=by)
    return measure


def _check_board_consultation(*, consulted: bool | None, on: datetime.date | None) -> datetime.date | None:
    """The day of the consultation for a light measure, checked; None when there was none."""
    if consulted is None:
        raise ValidationError(_("Geef aan of de directeur-bestuurder over deze maatregel is geraadpleegd."))
    if not consulted:
        return None
    if on is None:
        raise ValidationError(_("Geef de datum van het overleg met de directeur-bestuurder."))
    if on > timezone.localdate():
        raise ValidationError(_("De datum van het overleg met de directeur-bestuurder ligt in de toekomst."))
    return on


def board_consultation_text(measure: Measure) -> str:
    """One sentence for the timeline: whether and when the directeur-bestuurder was consulted."""
    if measure.board_consulted:
        return _("Overleg met de directeur-bestuurder op %(day)s") % {
            "day": date_format(measure.board_consulted_on, "j F Y")
        }
    return _("De directeur-bestuurder is niet geraadpleegd")


def _decide(*, measure: Measure, by: User, approve: bool, note: str) -> Measure:
    with transaction.atomic():
        measure = Measure.objects.select_for_update().select_related("case", "case__school").get(pk=measure.pk)
        access.check_measure_decision(user=by, measure=measure)
        if not approve and not note.strip():
            raise ValidationError(_("Geef aan waarom u de maatregel afwijst."))
        measure.status = MeasureStatus.IN_EFFECT if approve else MeasureStatus.REFUSED
        measure.decided_by = by
        measure.decided_at = timezone.now()
        measure.decision_note = note.strip()
        measure.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        summary = (
            _("Bestuur keurt maatregel goed, nu van kracht: %(measure)s")
            if approve
            else _("Bestuur wijst maatregel af: %(measure)s")
        )
        _timeline(
            case=measure.case,
            kind=TIMELINE_MEASURE,
            author=by,
            summary=summary % {"measure": measure},
            # The note itself stays on the measure, sealed (common/vault.py); data is not.
            data={"measure": measure.pk, "status": measure.status},
        )
        if approve:
            _case_measures_decided(case=measure.case, by=by)
        notification_send(
            template="sanctions/email/measure_approved" if approve else "sanctions/email/measure_refused",
            recipient=measure.proposed_by,
            context={"school_name": measure.case.school.name, "case_number": measure.case.number},
            link=reverse("sanctions:measure_detail", kwargs={"case_pk": measure.case_id, "pk": measure.pk}),
        )
    return measure


def measure_approve(*, measure: Measure, by: User, note: str = "") -> Measure:
    """A board member other than the proposer approves a heavy measure: from now on it is in effect,
    and the case moves to "maatregelen besloten" (``_case_measures_decided``)."""
    return _decide(measure=measure, by=by, approve=True, note=note)


def measure_refuse(*, measure: Measure, by: User, note: str) -> Measure:
    """A board member other than the proposer refuses a heavy measure, with reasons."""
    return _decide(measure=measure, by=by, approve=False, note=note)


# Escalations --------------------------------------------------------------------------------------


def conduct_finding_record(*, case: Case, by: User, is_boundary_crossing: bool, reason: str) -> StaffConductFinding:
    """Sancties 3: the SKOW judges a staff member's communication; boundary-crossing asks for the call."""
    access.check_case_recordable(user=by, case=case)
    if not reason.strip():
        raise ValidationError(_("Onderbouw het oordeel."))
    with transaction.atomic():
        finding = StaffConductFinding.objects.create(
            case=case, is_boundary_crossing=is_boundary_crossing, reason=reason.strip(), found_by=by
        )
        if is_boundary_crossing:
            summary = _(
                "Communicatie van een medewerker beoordeeld als grensoverschrijdend; "
                "melden bij de Landelijke Vertrouwensinspecteur (%(phone)s) is nodig."
            ) % {"phone": INSPECTOR_PHONE}
        else:
            summary = _("Communicatie van een medewerker beoordeeld als niet grensoverschrijdend.")
        _timeline(
            case=case,
            kind=TIMELINE_ESCALATION,
            author=by,
            summary=summary,
            data={"finding": finding.pk, "is_boundary_crossing": is_boundary_crossing},
        )
    return finding


def _escalation_create(*, case: Case, by: User, summary: str, **fields) -> Escalation:
    with transaction.atomic():
        escalation = Escalation.objects.create(case=case, recorded_by=by, **fields)
        _timeline(
            case=case,
            kind=TIMELINE_ESCALATION,
            author=by,
            summary=summary,
            data={"escalation": escalation.pk, "kind": escalation.kind},
        )
    return escalation


def inspector_call_record(
    *,
    case: Case,
    by: User,
    called_on: datetime.date,
    called_at: datetime.time,
    caller: str,
    advice: str,
    inspector_name: str = "",
    has_reasonable_suspicion: bool | None = None,
) -> Escalation:
    """Sancties 3: the telephone report to the Landelijke Vertrouwensinspecteur (0900-1113111).

    Under WPO art. 4a the call also records the inspector's name and the conclusion: is there a
    reasonable suspicion of a sexual offence (then the parents and the accused are informed and the
    board reports it to the police; sanctions/checks.py keeps the case open until they are on record)."""
    access.check_case_recordable(user=by, case=case)
    if not caller.strip() or not advice.strip():
        raise ValidationError(_("Vul in wie belde en welk advies de Vertrouwensinspecteur gaf."))
    if case_falls_under_wpo_4a(case) and (not inspector_name.strip() or has_reasonable_suspicion is None):
        raise ValidationError(
            _("Bij een melding onder WPO art. 4a: vul de naam van de vertrouwensinspecteur en de conclusie in.")
        )
    return _escalation_create(
        case=case,
        by=by,
        summary=_("Gemeld bij de Landelijke Vertrouwensinspecteur op %(day)s om %(time)s door %(caller)s.")
        % {"day": f"{called_on:%d-%m-%Y}", "time": f"{called_at:%H:%M}", "caller": caller.strip()},
        kind=EscalationKind.INSPECTOR_CALL,
        happened_on=called_on,
        happened_at=called_at,
        contact_by=caller.strip(),
        notes=advice.strip(),
        inspector_name=inspector_name.strip(),
        has_reasonable_suspicion=has_reasonable_suspicion,
    )


def police_report_record(
    *,
    case: Case,
    by: User,
    reported_on: datetime.date,
    reported_by: str,
    reference: str = "",
    notes: str = "",
    police_unit: str = "",
) -> Escalation:
    """Sancties 7: aangifte bij de politie of a possible criminal offence; under WPO art. 4a with the
    police unit and the registration number."""
    access.check_case_recordable(user=by, case=case)
    if not reported_by.strip():
        raise ValidationError(_("Vul in wie aangifte deed."))
    if case_falls_under_wpo_4a(case) and (not police_unit.strip() or not reference.strip()):
        raise ValidationError(
            _("Bij een melding onder WPO art. 4a: vul de politie-eenheid en het registratienummer in.")
        )
    return _escalation_create(
        case=case,
        by=by,
        summary=_("Aangifte gedaan bij de politie op %(day)s door %(who)s.")
        % {"day": f"{reported_on:%d-%m-%Y}", "who": reported_by.strip()},
        kind=EscalationKind.POLICE_REPORT,
        happened_on=reported_on,
        contact_by=reported_by.strip(),
        reference=reference.strip(),
        notes=notes.strip(),
        police_unit=police_unit.strip(),
    )


def wpo_4a_informed_record(
    *, case: Case, by: User, kind: str, informed_on: datetime.date, informed_by: str, notes: str = ""
) -> Escalation:
    """WPO art. 4a: the parents, or the accused, were informed before the board reports to the police."""
    access.check_case_recordable(user=by, case=case)
    if kind not in INFORMED_KINDS:
        raise ValidationError(_("Kies wie is geïnformeerd: de ouders of de beschuldigde."))
    if not informed_by.strip():
        raise ValidationError(_("Vul in wie hen informeerde."))
    return _escalation_create(
        case=case,
        by=by,
        summary=_("%(kind)s op %(day)s door %(who)s.")
        % {"kind": EscalationKind(kind).label, "day": f"{informed_on:%d-%m-%Y}", "who": informed_by.strip()},
        kind=kind,
        happened_on=informed_on,
        contact_by=informed_by.strip(),
        notes=notes.strip(),
    )


def safe_home_referral_start(*, case: Case, by: User, pupil: Pupil, done_on: datetime.date, notes: str) -> Escalation:
    """The meldcode starts for a pupil: step 1, the signals mapped."""
    access.check_case_recordable(user=by, case=case)
    if not access.pupils_for_case(user=by, case=case).filter(pk=pupil.pk).exists():
        raise ActionRefused(_("Kies een leerling van de school van dit dossier."))
    if not notes.strip():
        raise ValidationError(_("Beschrijf de signalen."))
    with transaction.atomic():
        escalation = _escalation_create(
            case=case,
            by=by,
            summary=_("Meldcode gestart (Veilig Thuis): signalen in kaart gebracht."),
            kind=EscalationKind.SAFE_HOME_REFERRAL,
            happened_on=done_on,
            pupil=pupil,
        )
        SafeHomeStepRecord.objects.create(
            escalation=escalation, step=SafeHomeStep.MAP_SIGNALS, done_on=done_on, notes=notes.strip(), recorded_by=by
        )
        _link_person(case=case, by=by, person={"subject_kind": SubjectKind.PUPIL, "pupil": pupil})
    return escalation


def _meldcode_link(escalation: Escalation) -> str:
    return reverse("sanctions:meldcode_detail", kwargs={"pk": escalation.pk})


def _meldcode_people_to_tell(escalation: Escalation) -> list[User]:
    """The school's current aandachtsfunctionaris meldcode; without one, the school's leadership."""
    school_id = escalation.pupil.school_id
    officers = User.objects.filter(
        safety_roles__school_id=school_id,
        safety_roles__role=SafetyRole.MELDCODE_OFFICER,
        is_active=True,
    ).filter(pk__in=SafetyRoleHolder.objects.filter(safety_role_current_on(timezone.localdate())).values("user_id"))
    people = list(officers.distinct())
    if not people:
        people = list(
            User.objects.filter(
                role_assignments__school_id=school_id, role_assignments__role=Role.SCHOOL_LEADER, is_active=True
            ).distinct()
        )
    return people


def meldcode_signal(*, by: User, pupil: Pupil, done_on: datetime.date, notes: str) -> Escalation:
    """A staff member signals under the meldcode (step 1: the signals mapped), without a case; the
    school's aandachtsfunctionaris is told (no content in the e-mail) and takes it up from step 2."""
    if not access.pupils_to_signal_about(user=by).filter(pk=pupil.pk).exists():
        raise ActionRefused(_("Kies een leerling van uw school."))
    if not notes.strip():
        raise ValidationError(_("Beschrijf de signalen."))
    with transaction.atomic():
        escalation = Escalation.objects.create(
            kind=EscalationKind.SAFE_HOME_REFERRAL, happened_on=done_on, pupil=pupil, recorded_by=by
        )
        SafeHomeStepRecord.objects.create(
            escalation=escalation, step=SafeHomeStep.MAP_SIGNALS, done_on=done_on, notes=notes.strip(), recorded_by=by
        )
        for person in _meldcode_people_to_tell(escalation):
            if person.pk == by.pk:
                continue
            notification_send(
                template="sanctions/email/meldcode_signal",
                recipient=person,
                context={"school_name": pupil.school.name},
                link=_meldcode_link(escalation),
            )
    return escalation


def safe_home_step_record(
    *,
    escalation: Escalation,
    by: User,
    step: int,
    done_on: datetime.date,
    notes: str,
    reported_to_safe_home: bool = False,
    help_offered: bool = False,
    unsafety: str = "",
    help_feasible: str = "",
    help_evaluation_on: datetime.date | None = None,
) -> SafeHomeStepRecord:
    """The next step of the meldcode, in order (access.check_safe_home_step), signed by ``by`` and
    time-stamped. Steps 4 and 5 answer the afwegingskader's questions; step 5 names the decision, and
    the melding at Veilig Thuis when the answers require it (access.check_safe_home_decision)."""
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update(of=("self",)).select_related("case", "pupil").get(pk=escalation.pk)
        )
        access.check_meldcode_recordable(user=by, escalation=escalation)
        access.check_safe_home_step(escalation=escalation, step=step)
        if not notes.strip():
            raise ValidationError(_("Schrijf op wat er bij deze stap is gedaan."))
        weighs = step in (SafeHomeStep.WEIGH, SafeHomeStep.DECIDE)
        if weighs and (unsafety not in Assessment.values or help_feasible not in Assessment.values):
            raise ValidationError(_("Beantwoord beide vragen van het afwegingskader."))
        is_decision = step == SafeHomeStep.DECIDE
        if is_decision:
            weighed = escalation.steps.filter(step=SafeHomeStep.WEIGH).values_list("unsafety", "help_feasible")
            access.check_safe_home_decision(
                required=access.safe_home_melding_required(*weighed, (unsafety, help_feasible)),
                reported_to_safe_home=reported_to_safe_home,
                help_offered=help_offered,
            )
            if help_offered and help_evaluation_on is None:
                raise ValidationError(_("Vul in wanneer de hulp wordt geëvalueerd."))
            if help_evaluation_on is not None and help_evaluation_on < done_on:
                raise ValidationError(_("De evaluatie van de hulp ligt voor de datum van het besluit."))
        record = SafeHomeStepRecord.objects.create(
            escalation=escalation,
            step=step,
            done_on=done_on,
            notes=notes.strip(),
            reported_to_safe_home=is_decision and reported_to_safe_home,
            help_offered=is_decision and help_offered,
            unsafety=unsafety if weighs else "",
            help_feasible=help_feasible if weighs else "",
            help_evaluation_on=help_evaluation_on if is_decision and help_offered else None,
            recorded_by=by,
        )
        if escalation.case_id is not None:
            _timeline(
                case=escalation.case,
                kind=TIMELINE_ESCALATION,
                author=by,
                summary=_("Meldcode, %(step)s") % {"step": record.get_step_display()},
                data={"escalation": escalation.pk, "step": step},
            )
    return record


# Ernstig incident -----------------------------------------------------------------------------------


def serious_incident_flag(*, case: Case, by: User, kinds: list[str]) -> SeriousIncident:
    """Flag ``case`` as an ernstig incident: the board gets the task "melding Inspectie overwegen",
    due SERIOUS_INCIDENT_TASK_DAYS from today, by inbox and e-mail without case content.

    Only while settings.SERIOUS_INCIDENT_TASKS is on (sanctions/access.py, rule 7). A case is flagged
    once; flagging again adds kinds to the open task (or reopens nothing: a decided task stays decided).
    """
    if not access.may_flag_serious_incident(user=by, case=case):
        raise ActionRefused(_("U kunt dit dossier niet als ernstig incident markeren."))
    chosen = [kind for kind in SeriousIncidentKind.values if kind in set(kinds)]
    if not chosen:
        raise ValidationError(_("Kies wat dit incident ernstig maakt."))
    with transaction.atomic():
        incident = SeriousIncident.objects.select_for_update().filter(case=case).first()
        if incident is not None:
            added = [kind for kind in chosen if kind not in incident.kinds]
            if not added:
                raise ActionRefused(_("Dit dossier is al als ernstig incident gemarkeerd."))
            incident.kinds = [kind for kind in SeriousIncidentKind.values if kind in {*incident.kinds, *added}]
            incident.save(update_fields=["kinds"])
            is_new = False
        else:
            incident = SeriousIncident.objects.create(
                case=case,
                kinds=chosen,
                flagged_by=by,
                due_on=timezone.localdate() + datetime.timedelta(days=settings.SERIOUS_INCIDENT_TASK_DAYS),
            )
            is_new = True
        _timeline(
            case=case,
            kind=TIMELINE_ESCALATION,
            author=by,
            summary=_("Gemarkeerd als ernstig incident: %(kinds)s. Het bestuur overweegt een melding bij de Inspectie.")
            % {"kinds": ", ".join(incident.kind_labels())},
            data={"serious_incident": incident.pk, "kinds": incident.kinds},
        )
        if is_new:
            for member in access.serious_incident_considerers(case=case):
                notification_send(
                    template="sanctions/email/serious_incident",
                    recipient=member,
                    context={"school_name": case.school.name, "due_on": f"{incident.due_on:%d-%m-%Y}"},
                    link=reverse("sanctions:serious_incidents"),
                )
    return incident


def serious_incident_decide(
    *, incident: SeriousIncident, by: User, decision: str, decided_on: datetime.date, note: str = ""
) -> SeriousIncident:
    """The board member records whether the Inspectie was told; the task is then done."""
    if (
        not access.may_consider_serious_incidents(user=by)
        or not access.serious_incident_considerers(case=incident.case).filter(pk=by.pk).exists()
    ):
        raise ActionRefused(_("Alleen het bestuur besluit over een melding bij de Inspectie."))
    if decision not in InspectieDecision.values:
        raise ValidationError(_("Kies of het incident bij de Inspectie is gemeld."))
    if decided_on > timezone.localdate():
        raise ValidationError(_("De datum van het besluit ligt in de toekomst."))
    with transaction.atomic():
        incident = SeriousIncident.objects.select_for_update().get(pk=incident.pk)
        if not incident.is_open:
            raise ActionRefused(_("Over dit ernstige incident is al besloten."))
        incident.decision = decision
        incident.decided_on = decided_on
        incident.decided_by = by
        incident.decision_note = note.strip()
        incident.save(update_fields=["decision", "decided_on", "decided_by", "decision_note"])
        _timeline(
            case=incident.case,
            kind=TIMELINE_ESCALATION,
            author=by,
            summary=_("Melding Inspectie overwogen: %(decision)s (%(day)s).")
            % {"decision": incident.get_decision_display(), "day": f"{decided_on:%d-%m-%Y}"},
            data={"serious_incident": incident.pk, "decision": decision},
        )
    return incident


# Yearly evaluatie -----------------------------------------------------------------------------------


def safety_evaluation_record(
    *,
    school: School,
    year: int,
    by: User,
    monitor_instrument: str,
    monitor_held_on: datetime.date,
    monitor_delivered: bool,
    conclusions: str,
    measures_taken: str = "",
    protocol_version: ProtocolVersion | None = None,
) -> SafetyEvaluation:
    """Record (or correct) the school's evaluatie of the school year starting 1 August ``year``
    (Inspectie standard VS1): the monitor, the conclusions, the measures, the protocol version."""
    if not access.schools_with_overview_for(user=by).filter(pk=school.pk).exists():
        raise ActionRefused(_("U legt de evaluatie van deze school niet vast."))
    if not monitor_instrument.strip() or not conclusions.strip():
        raise ValidationError(_("Vul het instrument van de monitor en de conclusies in."))
    if monitor_held_on > timezone.localdate():
        raise ValidationError(_("De datum van de monitor ligt in de toekomst."))
    if protocol_version is not None and protocol_version.number is None:
        raise ValidationError(_("Kies een vastgestelde versie van het protocol."))
    evaluation, _created = SafetyEvaluation.objects.update_or_create(
        school=school,
        school_year=year,
        defaults={
            "monitor_instrument": monitor_instrument.strip(),
            "monitor_held_on": monitor_held_on,
            "monitor_delivered": monitor_delivered,
            "conclusions": conclusions.strip(),
            "measures_taken": measures_taken.strip(),
            "protocol_version": protocol_version,
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    return evaluation


def _meldcode_status_change(*, escalation: Escalation, by: User, reason: str, close: bool) -> SafeHomeStatusChange:
    if not reason.strip():
        raise ValidationError(_("Geef de reden."))
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update(of=("self",)).select_related("case", "pupil").get(pk=escalation.pk)
        )
        if not access.meldcodes_handled_by(user=by).filter(pk=escalation.pk).exists():
            raise ActionRefused(_("U behandelt deze meldcode niet."))
        if access.meldcode_is_closed(escalation) == close:
            raise ActionRefused(_("Deze meldcode is al gesloten.") if close else _("Deze meldcode is niet gesloten."))
        change = SafeHomeStatusChange.objects.create(
            escalation=escalation, is_closed=close, reason=reason.strip(), recorded_by=by
        )
        if escalation.case_id is not None:
            _timeline(
                case=escalation.case,
                kind=TIMELINE_ESCALATION,
                author=by,
                summary=_("Meldcode gesloten.") if close else _("Meldcode heropend."),
                data={"escalation": escalation.pk, "closed": close},
            )
    return change


def meldcode_close(*, escalation: Escalation, by: User, reason: str) -> SafeHomeStatusChange:
    """Close a meldcode at any step, with the reason (no further steps until it is reopened)."""
    return _meldcode_status_change(escalation=escalation, by=by, reason=reason, close=True)


def meldcode_reopen(*, escalation: Escalation, by: User, reason: str) -> SafeHomeStatusChange:
    """Reopen a closed meldcode, with the reason; the next step follows where it stopped."""
    return _meldcode_status_change(escalation=escalation, by=by, reason=reason, close=False)


def meldcode_reminders_due(today: datetime.date) -> list[tuple[Escalation, str, datetime.date]]:
    """Open meldcodes with a reminder due by ``today`` and not yet sent: Veilig Thuis's feedback five
    working days after the melding, and the help's evaluation date."""
    decisions = SafeHomeStepRecord.objects.filter(step=SafeHomeStep.DECIDE).filter(
        Q(reported_to_safe_home=True) | Q(help_evaluation_on__lte=today)
    )
    due = []
    for decision in decisions.select_related("escalation", "escalation__pupil"):
        escalation = decision.escalation
        if decision.reported_to_safe_home:
            feedback_on = access.working_days_after(decision.done_on, SAFE_HOME_FEEDBACK_WORKING_DAYS)
            if feedback_on <= today:
                due.append((escalation, MeldcodeReminderKind.SAFE_HOME_FEEDBACK, feedback_on))
        if decision.help_evaluation_on is not None and decision.help_evaluation_on <= today:
            due.append((escalation, MeldcodeReminderKind.HELP_EVALUATION, decision.help_evaluation_on))
    sent = set(MeldcodeReminder.objects.values_list("escalation_id", "kind", "due_on"))
    return [
        (escalation, kind, due_on)
        for escalation, kind, due_on in due
        if (escalation.pk, kind, due_on) not in sent and not access.meldcode_is_closed(escalation)
    ]


def meldcode_reminders_send(today: datetime.date | None = None) -> int:
    """Send each due meldcode reminder once (an e-mail that says there is one, no content); returns
    how many went out. Idempotent: a sent reminder is a MeldcodeReminder row."""
    today = today or timezone.localdate()
    count = 0
    for escalation, kind, due_on in meldcode_reminders_due(today):
        with transaction.atomic():
            _reminder, created = MeldcodeReminder.objects.get_or_create(escalation=escalation, kind=kind, due_on=due_on)
            if not created:
                continue
            recipients = {person.pk: person for person in _meldcode_people_to_tell(escalation)}
            decider = escalation.steps.filter(step=SafeHomeStep.DECIDE).select_related("recorded_by").first()
            if decider is not None and decider.recorded_by.is_active:
                recipients.setdefault(decider.recorded_by_id, decider.recorded_by)
            for person in recipients.values():
                notification_send(
                    template="sanctions/email/meldcode_reminder",
                    recipient=person,
                    context={
                        "school_name": escalation.pupil.school.name,
                        "is_feedback": kind == MeldcodeReminderKind.SAFE_HOME_FEEDBACK,
                    },
                    link=_meldcode_link(escalation),
                )
            count += 1
    return count
