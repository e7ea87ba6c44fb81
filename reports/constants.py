"""Fixed choices of reports and case files, named after the protocol (A.1, A.2, A.6–A.9, B.2, B.5, C.1–C.4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    # Protocol A.8: acts against common decency or (possibly) criminal.
    ACCOUNT_HACKING = "account_hacking", _("Hacken van een account")
    RADICALISATION = "radicalisation", _("Radicalisering")
    SEXTING = "sexting", _("Sexting")
    BULLYING = "bullying", _("Pesten")
    STALKING = "stalking", _("Stalken")
    THREATS = "threats", _("Bedreigen")
    SPREADING_MEMES = "spreading_memes", _("Verspreiden van memes")
    OTHERWISE_DAMAGING = "otherwise_damaging", _("Anderszins beschadigen")
    # Breaches of the rules for staff (and, for A.1/A.2/A.7, everyone).
    BEFRIENDING_PUPILS = "befriending_pupils", _("Medewerker is met privéaccount 'vrienden' met leerlingen (A.6)")
    RECORDING_LESSONS = "recording_lessons", _("Lessen opnemen of opnames verspreiden zonder toestemming (A.1, A.7)")
    SHARING_PERSONAL_DATA = "sharing_personal_data", _("Persoonsgegevens delen (A.2)")
    ARGUING_ONLINE = "arguing_online", _("Medewerker in discussie met leerling of ouder op sociale media (B.5)")
    # B.2 (at work) and C.3 (off duty) differ in what must be said: employment and function, or employment.
    ROLE_NOT_STATED = (
        "role_not_stated",
        _(
            "Medewerker vermeldt in een discussie over de school niet dat hij/zij medewerker van de SKOW is en welke "
            "functie (B.2)"
        ),
    )
    # C: for staff outside work situations.
    OFF_DUTY_PERSONAL_DATA = (
        "off_duty_personal_data",
        _(
            "Medewerker publiceert buiten het werk over school met persoonsgegevens of schaadt de naam van de "
            "school (C.1)"
        ),
    )
    OFF_DUTY_CONTRARY_VIEWS = (
        "off_duty_contrary_views",
        _("Medewerker draagt standpunten of overtuigingen uit in strijd met de missie en visie van de SKOW (C.2)"),
    )
    OFF_DUTY_EMPLOYMENT_NOT_STATED = (
        "off_duty_employment_not_stated",
        _(
            "Medewerker vermeldt buiten het werk in een discussie over de school niet dat hij/zij medewerker van de "
            "SKOW is (C.3)"
        ),
    )
    DISCLAIMER_MISSING = (
        "disclaimer_missing",
        _("Medewerker publiceert over de school zonder de mededeling dat het een persoonlijke mening is (C.4)"),
    )
    # Cases recorded before B.2 and C.1–C.4 had their own category keep this one.
    STAFF_RULE_OTHER = "staff_rule_other", _("Andere overtreding van de regels voor medewerkers")
    # WPO art. 4a: possibly a sexual offence by staff against a minor pupil; the protocol's list lacks it.
    STAFF_SEXUAL_CONDUCT = (
        "staff_sexual_conduct",
        _("Seksueel getint gedrag van een medewerker tegenover een leerling (WPO art. 4a)"),
    )


# The two groups of the intake form: behaviour named in A.8, and breaches of the protocol's rules.
BEHAVIOUR_CATEGORIES = (
    Category.ACCOUNT_HACKING,
    Category.RADICALISATION,
    Category.SEXTING,
    Category.BULLYING,
    Category.STALKING,
    Category.THREATS,
    Category.SPREADING_MEMES,
    Category.OTHERWISE_DAMAGING,
    Category.STAFF_SEXUAL_CONDUCT,
)
RULE_CATEGORIES = tuple(c for c in Category if c not in BEHAVIOUR_CATEGORIES)
# Severe enough that the board is told as well as the school (DESIGN.md, reports).
BOARD_ALSO_CATEGORIES = frozenset({Category.RADICALISATION, Category.THREATS, Category.SEXTING})
# Rules only staff can break (A.6, B.2, B.5, C.1–C.4; WPO art. 4a): such a report is always about staff.
STAFF_ONLY_CATEGORIES = frozenset(
    {
        Category.BEFRIENDING_PUPILS,
        Category.ARGUING_ONLINE,
        Category.ROLE_NOT_STATED,
        Category.OFF_DUTY_PERSONAL_DATA,
        Category.OFF_DUTY_CONTRARY_VIEWS,
        Category.OFF_DUTY_EMPLOYMENT_NOT_STATED,
        Category.DISCLAIMER_MISSING,
        Category.STAFF_RULE_OTHER,
        Category.STAFF_SEXUAL_CONDUCT,
    }
)
# WPO art. 4a: to the board whatever the reporter chose; no vertrouwenspersoon keeps it, no school
# leader (who may be the accused) sees it; the board consults the vertrouwensinspecteur.
BOARD_ONLY_CATEGORIES = frozenset({Category.STAFF_SEXUAL_CONDUCT})


class Platform(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    SNAPCHAT = "snapchat", _("Snapchat")
    YOUTUBE = "youtube", _("YouTube")
    FACEBOOK = "facebook", _("Facebook")
    X = "x", _("X (Twitter)")
    OTHER = "other", _("Anders")


class PartyRole(models.TextChoices):
    """Who is involved in what happened (protocol "Doelgroep": staff, pupils, parents, others)."""

    PUPIL = "pupil", _("Leerling")
    STAFF = "staff", _("Medewerker")
    PARENT = "parent", _("Ouder/verzorger")
    OUTSIDER = "outsider", _("Iemand van buiten de school")


class SubjectKind(models.TextChoices):
    """Whom a case is about, and whom a measure concerns (protocol Sancties 1-4 for staff, 5-6 for
    pupils and parents): ``CasePerson`` here, ``Measure`` in sanctions."""

    STAFF = "staff", _("Medewerker")
    PUPIL = "pupil", _("Leerling")
    PARENT = "parent", _("Ouder/verzorger")


class ReporterRole(models.TextChoices):
    PUPIL = "pupil", _("Leerling")
    PARENT = "parent", _("Ouder/verzorger")
    STAFF = "staff", _("Medewerker")
    OTHER = "other", _("Iemand anders")


class Recipient(models.TextChoices):
    """Whom the reporter sends a report to (Wet veiligheid op school, WPO art. 4c: pupils and parents
    may turn to someone other than the head). A vertrouwenspersoon keeps a report to themselves until
    they hand it on (reports/access.py)."""

    SCHOOL = "school", _("De school (leerkracht/schoolleiding)")
    ANTI_BULLYING = "anti_bullying", _("Het aanspreekpunt pesten")
    INTERNAL_CONFIDANT = "internal_confidant", _("De interne vertrouwenspersoon")
    EXTERNAL_CONFIDANT = "external_confidant", _("De externe vertrouwenspersoon")
    BOARD = "board", _("Het bestuur")


# The recipients that are someone of the school's role register (accounts.SafetyRoleHolder): a report
# to them needs a current holder with a login.
CONFIDANT_RECIPIENTS = frozenset({Recipient.INTERNAL_CONFIDANT, Recipient.EXTERNAL_CONFIDANT})


class CaseState(models.TextChoices):
    """Triage of a case file; the allowed moves are the table in reports/lifecycle.py."""

    NEW = "new", _("Nieuw")
    ACKNOWLEDGED = "acknowledged", _("In behandeling genomen")
    INVESTIGATING = "investigating", _("Onderzoek")
    WAITING_FOR_REPORTER = "waiting_for_reporter", _("Wacht op de melder")
    MEASURES_DECIDED = "measures_decided", _("Maatregelen besloten")
    CLOSED = "closed", _("Gesloten")


# What the reporter reads on the follow-up page: whether the report is being dealt with, never how.
# "Measures decided" would tell a pupil that someone was punished (Sancties: the person's privacy).
REPORTER_STATE_LABELS = {
    CaseState.NEW: _("Ontvangen"),
    CaseState.ACKNOWLEDGED: _("In behandeling"),
    CaseState.INVESTIGATING: _("In behandeling"),
    CaseState.WAITING_FOR_REPORTER: _("Wacht op uw reactie"),
    CaseState.MEASURES_DECIDED: _("In behandeling"),
    CaseState.CLOSED: _("Afgehandeld"),
}


class ClosingReason(models.TextChoices):
    HANDLED = "handled", _("Afgehandeld")
    UNFOUNDED = "unfounded", _("Ongegrond")
    REFERRED = "referred", _("Doorverwezen naar de autoriteiten")


class TimelineKind(models.TextChoices):
    """What a timeline entry records; sanctions writes MEASURE and ESCALATION through case_timeline_add."""

    NOTE = "note", _("Notitie")
    CONVERSATION = "conversation", _("Gesprek gevoerd")
    MESSAGE = "message", _("Bericht met de melder")
    STATUS_CHANGE = "status_change", _("Statuswijziging")
    MEASURE = "measure", _("Maatregel")
    ESCALATION = "escalation", _("Escalatie")
    EVIDENCE = "evidence", _("Bewijsstuk")
    VIEW = "view", _("Dossier geopend")
    CORRECTION = "correction", _("Correctie")
    HANDLER = "handler", _("Behandelaar")
    ACCESS = "access", _("Toegang")
    MERGE = "merge", _("Samengevoegd")
    RETENTION = "retention", _("Bewaartermijn")
    # Nobody handles a case about themselves: a leader or board member named in a report, or a
    # handler who said "deze melding gaat over mij"; the case is then the (rest of the) board's.
    SUBJECT_NAMED = "subject_named", _("Gaat over de leiding: naam herkend")
    SUBJECT_DECLARED = "subject_declared", _("Gaat over de behandelaar: zelf aangegeven")
    # A vertrouwenspersoon handed a report that was theirs alone on to the school (with a reason).
    HANDED_ON = "handed_on", _("Doorgegeven door de vertrouwenspersoon")


# Kinds a handler writes by hand on the case page; the others are written by the services.
HANDWRITTEN_KINDS = (TimelineKind.NOTE, TimelineKind.CONVERSATION)


class MessageAuthor(models.TextChoices):
    HANDLER = "handler", _("Behandelaar")
    REPORTER = "reporter", _("Melder")


class MessageKind(models.TextChoices):
    """What a message to the reporter is. Only feedback — what was done with the report — meets the
    3-month feedback deadline (EU whistle-blower directive 2019/1937 art. 9(1)(f)); a question does not."""

    FEEDBACK = "feedback", _("Terugkoppeling")
    MESSAGE = "message", _("Vraag of ander bericht")
    # Handler messages written before the kinds existed: the first of them counted as feedback then,
    # and the case keeps that date; what each one was is not known.
    UNCLASSIFIED = "unclassified", _("Bericht (van voor de indeling in soorten)")


class SubjectFinding(models.TextChoices):
    """How reports learned that a case is about one of its possible handlers (a leader or board member)."""

    BY_NAME = "name", _("naam herkend in de melding")
    BY_EMAIL = "email", _("e-mailadres herkend in de melding")
    DECLARED = "declared", _("zelf aangegeven")


class EvidenceKind(models.TextChoices):
    IMAGE = "image", _("Afbeelding")
    PDF = "pdf", _("PDF")
    TEXT = "text", _("Tekst")


# Why the portal itself re-sealed a case's hash chain (common/hashchain.py; case_anonymise).
CHAIN_RESEAL_RETENTION = "retention"
CHAIN_RESEAL_REASONS = {
    CHAIN_RESEAL_RETENTION: _("de bewaartermijn was verstreken: het portaal heeft de teksten verwijderd"),
}
