"""Choices of the sanctions app, named after the protocol's "Sancties en gevolgen" 1-7."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Whom a measure concerns is whom a case is about: the choices are reports' (CasePerson lives there).
from reports.constants import SubjectKind as SubjectKind


class MeasureKind(models.TextChoices):
    # Staff, Sancties 4 and the Toelichting (a talk by the direct manager comes first).
    CONVERSATION = "conversation", _("Gesprek")
    WARNING = "warning", _("Waarschuwing")
    REPRIMAND = "reprimand", _("Berisping")
    SUSPENSION = "suspension", _("Schorsing")
    DISMISSAL = "dismissal", _("Ontslag")
    SUMMARY_DISMISSAL = "summary_dismissal", _("Ontslag op staande voet")
    # Pupils and parents, Sancties 6.
    DEVICES_TAKEN = "devices_taken", _("Devices in bewaring genomen")
    POSTS_REMOVED = "posts_removed", _("Berichten en/of beelden verwijderd")
    EXPULSION = "expulsion", _("Verwijdering van school")


STAFF_MEASURES = (
    MeasureKind.CONVERSATION,
    MeasureKind.WARNING,
    MeasureKind.REPRIMAND,
    MeasureKind.SUSPENSION,
    MeasureKind.DISMISSAL,
    MeasureKind.SUMMARY_DISMISSAL,
)
PUPIL_AND_PARENT_MEASURES = (
    MeasureKind.DEVICES_TAKEN,
    MeasureKind.POSTS_REMOVED,
    MeasureKind.WARNING,
    MeasureKind.SUSPENSION,
    MeasureKind.EXPULSION,
)
MEASURES_BY_SUBJECT = {
    SubjectKind.STAFF: STAFF_MEASURES,
    SubjectKind.PUPIL: PUPIL_AND_PARENT_MEASURES,
    SubjectKind.PARENT: PUPIL_AND_PARENT_MEASURES,
}
# Proposed by the leader, in effect only once a board member (not the proposer) approves.
# Toelichting: such a decision is taken "in overleg met de directeur-bestuurder".
HEAVY_MEASURES = frozenset(
    {MeasureKind.SUSPENSION, MeasureKind.DISMISSAL, MeasureKind.SUMMARY_DISMISSAL, MeasureKind.EXPULSION}
)


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Wacht op goedkeuring bestuur")
    IN_EFFECT = "in_effect", _("Van kracht")
    REFUSED = "refused", _("Afgewezen door bestuur")


class EscalationKind(models.TextChoices):
    # Sancties 3: boundary-crossing communication by staff is reported by telephone.
    INSPECTOR_CALL = "inspector_call", _("Melding bij de Landelijke Vertrouwensinspecteur")
    # Sancties 7: a possible criminal offence.
    POLICE_REPORT = "police_report", _("Aangifte bij de politie")
    # Meldcode huiselijk geweld en kindermishandeling: unsafety at home.
    SAFE_HOME_REFERRAL = "safe_home_referral", _("Meldcode: Veilig Thuis")
    # WPO art. 4a: on a reasonable suspicion the board informs the parents and the accused before
    # reporting to the police.
    PARENTS_INFORMED = "parents_informed", _("Ouders geïnformeerd (WPO art. 4a)")
    ACCUSED_INFORMED = "accused_informed", _("Beschuldigde geïnformeerd (WPO art. 4a)")


INFORMED_KINDS = (EscalationKind.PARENTS_INFORMED, EscalationKind.ACCUSED_INFORMED)


INSPECTOR_PHONE = "0900-1113111"


class SafeHomeStep(models.IntegerChoices):
    """The five steps of the meldcode huiselijk geweld en kindermishandeling."""

    MAP_SIGNALS = 1, _("1. Signalen in kaart brengen")
    CONSULT = 2, _("2. Collegiale consultatie en zo nodig Veilig Thuis raadplegen")
    TALK = 3, _("3. Gesprek met de leerling en/of de ouders")
    WEIGH = 4, _("4. Wegen aan de hand van het afwegingskader")
    DECIDE = 5, _("5. Beslissen: melden bij Veilig Thuis en/of hulp bieden")


class SeriousIncidentKind(models.TextChoices):
    """What makes an incident serious enough that the board considers telling the Inspectie (standard
    VS1; the Wet vrij en veilig onderwijs bill would make reporting such incidents a duty)."""

    CRIMINAL_OFFENCE = "criminal_offence", _("Strafbaar feit")
    SERIOUS_THREAT = "serious_threat", _("Ernstige bedreiging")
    DISCRIMINATION = "discrimination", _("Discriminatie")
    GROSS_BULLYING = "gross_bullying", _("Grove pesterij")
    SEXUAL_OFFENCE = "sexual_offence", _("Seksueel misbruik of zedendelict")


class InspectieDecision(models.TextChoices):
    """The board's answer to the task "melding Inspectie overwegen"."""

    REPORTED = "reported", _("Gemeld bij de Inspectie")
    NOT_REPORTED = "not_reported", _("Niet gemeld")


# The meldcode's afwegingskader (2019), asked at steps 4 and 5.
class Assessment(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nee")
    DOUBT = "doubt", _("Twijfel")


SAFE_HOME_PHONE = "0800-2000"
# Veilig Thuis lets the school know what it did with a melding; the aandachtsfunctionaris asks after
# it when nothing came within five working days of the melding.
SAFE_HOME_FEEDBACK_WORKING_DAYS = 5


class MeldcodeReminderKind(models.TextChoices):
    SAFE_HOME_FEEDBACK = "safe_home_feedback", _("Terugkoppeling van Veilig Thuis")
    HELP_EVALUATION = "help_evaluation", _("Evaluatie van de hulp")
