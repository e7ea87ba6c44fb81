"""Import pupils with their guardians, and staff, from a school administration's CSV export.

An import is all or nothing: every row is checked first, every bad row is reported with its line
number and reason, and only a file without errors is written, in one transaction. Importing the same
file again updates what changed and never duplicates (pupils are matched on school + leerlingnummer,
people on e-mail address). Called by the ``import_pupils`` / ``import_staff`` commands and the admin.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from .constants import Role, RoleChange, RoleRequestState
from .models import Group, Guardianship, Pupil, RoleAssignment, RoleRequest, School, User
from .services import password_set_link_send, role_request_file

MAX_FILE_BYTES = 5 * 1024 * 1024

# Column names as Dutch administration systems (ParnasSys, Esis) export them, compared after
# dropping case, spaces, hyphens, dots and underscores: "E-mail ouder 1" → "emailouder1".
PUPIL_COLUMNS = {
    "student_number": {"leerlingnummer", "leerlingnr", "llnr", "leerlingid"},
    "first_name": {"voornaam", "roepnaam"},
    "infix": {"tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels"},
    "last_name": {"achternaam"},
    "date_of_birth": {"geboortedatum"},
    "group": {"groep", "klas", "stamgroep"},
    "email_1": {"emailouder1", "emailadresouder1", "emailverzorger1", "emailouderverzorger1"},
    "email_2": {"emailouder2", "emailadresouder2", "emailverzorger2", "emailouderverzorger2"},
    "left_on": {"datumuitschrijving", "uitschrijfdatum", "vertrekdatum", "datumvertrek", "einddatum"},
}
PUPIL_REQUIRED = ("student_number", "first_name", "last_name", "date_of_birth", "group")

STAFF_COLUMNS = {
    "name": {"naam", "volledigenaam"},
    "email": {"email", "emailadres"},
    "function": {"functie"},
    "school": {"school", "brin", "schoolnaam"},
}
STAFF_REQUIRED = ("name", "email", "school")

# A function that makes someone part of the school's leadership (the rest are staff).
LEADER_FUNCTIONS = re.compile(r"directeur|schoolleider|locatieleider|teamleider|adjunct", re.IGNORECASE)

GROUP_PATTERN = re.compile(r"^(?:groep\s*)?([1-8])(?:\s*[/-]\s*([1-8]))?\s*([a-z]?)$", re.IGNORECASE)
DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str


class ImportRejected(Exception):
    """The file was not imported; ``errors`` says why, per line (line 1 is the header)."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


@dataclass
class ImportResult:
    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def add(self, key: str, amount: int = 1) -> None:
        if amount:
            self.counts[key] = self.counts.get(key, 0) + amount

    def summary(self) -> list[str]:
        """One phrase per count, singular or plural as the number asks ("1 groep aangemaakt")."""
        phrases = {
            "rows": ngettext_lazy("%(count)s regel gelezen", "%(count)s regels gelezen", "count"),
            "pupils_created": ngettext_lazy(
                "%(count)s leerling toegevoegd", "%(count)s leerlingen toegevoegd", "count"
            ),
            "pupils_updated": ngettext_lazy(
                "%(count)s leerling bijgewerkt", "%(count)s leerlingen bijgewerkt", "count"
            ),
            "pupils_unchanged": ngettext_lazy(
                "%(count)s leerling ongewijzigd", "%(count)s leerlingen ongewijzigd", "count"
            ),
            "pupils_left": ngettext_lazy(
                "%(count)s leerling niet meer in het bestand: als vertrokken vastgelegd",
                "%(count)s leerlingen niet meer in het bestand: als vertrokken vastgelegd",
                "count",
            ),
            "groups_created": ngettext_lazy("%(count)s groep aangemaakt", "%(count)s groepen aangemaakt", "count"),
            "guardians_created": ngettext_lazy(
                "%(count)s ouder/verzorger toegevoegd", "%(count)s ouders/verzorgers toegevoegd", "count"
            ),
            "guardianships_created": ngettext_lazy(
                "%(count)s koppeling ouder–leerling gemaakt", "%(count)s koppelingen ouder–leerling gemaakt", "count"
            ),
            "guardianships_removed": ngettext_lazy(
                "%(count)s koppeling ouder–leerling verwijderd",
                "%(count)s koppelingen ouder–leerling verwijderd",
                "count",
            ),
            "staff_created": ngettext_lazy(
                "%(count)s medewerker toegevoegd", "%(count)s medewerkers toegevoegd", "count"
            ),
            "staff_updated": ngettext_lazy(
                "%(count)s medewerker bijgewerkt", "%(count)s medewerkers bijgewerkt", "count"
            ),
            "roles_created": ngettext_lazy("%(count)s rol toegekend", "%(count)s rollen toegekend", "count"),
            "roles_removed": ngettext_lazy("%(count)s rol ingetrokken", "%(count)s rollen ingetrokken", "count"),
            "roles_requested": ngettext_lazy(
                "%(count)s wijziging van schoolleiding aangevraagd (het bestuur keurt goed in Rollen)",
                "%(count)s wijzigingen van schoolleiding aangevraagd (het bestuur keurt goed in Rollen)",
                "count",
            ),
            "invitations_sent": ngettext_lazy(
                "%(count)s welkomstmail met een link om een wachtwoord te kiezen",
                "%(count)s welkomstmails met een link om een wachtwoord te kiezen",
                "count",
            ),
        }
        return [str(phrase % {"count": self.counts[key]}) for key, phrase in phrases.items() if self.counts.get(key)]


# Reading -------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), else Windows-1252 as Excel saves it."""
    if b"\x00" in data[:4096]:
        raise ImportRejected([RowError(0, _("Dit is geen CSV-bestand (het bevat binaire gegevens)."))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportRejected([RowError(0, _("De tekens in dit bestand zijn niet te lezen."))]) from None


def _column_key(header: str) -> str:
    return re.sub(r"[\s\-_.]", "", header.strip().lower())


def _read_rows(data: bytes, columns: dict[str, set[str]], required: tuple[str, ...]) -> list[tuple[int, dict]]:
    """(line number, {field: value}) for every non-empty row; the header's problems raise."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected([RowError(0, _("Het bestand is groter dan 5 MB."))])
    text = _decode(data)
    if not text.strip():
        raise ImportRejected([RowError(0, _("Het bestand is leeg."))])
    first_line = text.splitlines()[0]
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except csv.Error:
        raise ImportRejected([RowError(1, _("De kopregel is geen geldige CSV."))]) from None
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        key = _column_key(name)
        for field_name, aliases in columns.items():
            if key in aliases and field_name not in positions:
                positions[field_name] = index
    missing = [field_name for field_name in required if field_name not in positions]
    if missing:
        names = ", ".join(sorted(next(iter(sorted(columns[m]))) for m in missing))
        raise ImportRejected([RowError(1, _("Kolommen ontbreken in de kopregel: %(names)s.") % {"names": names})])

    rows: list[tuple[int, dict]] = []
    line = reader.line_num
    errors: list[RowError] = []
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(start, _("Deze regel is geen geldige CSV (%(error)s).") % {"error": exc}))
            break
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        row = {name: (values[pos].strip() if pos < len(values) else "") for name, pos in positions.items()}
        rows.append((start, row))
    if errors:
        raise ImportRejected(errors)
    if not rows:
        raise ImportRejected([RowError(0, _("Het bestand bevat geen regels onder de kopregel."))])
    return rows


def _sentence(problems: list[str]) -> str:
    text = "; ".join(problems)
    return text[:1].upper() + text[1:] + "."


def _parse_date(value: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _clean_email(value: str) -> str | None:
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


# Pupils and guardians ------------------------------------------------------------------------------


@dataclass
class _PupilRow:
    line: int
    student_number: str
    first_name: str
    infix: str
    last_name: str
    date_of_birth: datetime.date
    group_name: str
    grade: int
    guardian_emails: list[str]
    left_on: datetime.date | None = None


def _check_pupil_rows(rows: list[tuple[int, dict]]) -> list[_PupilRow]:
    errors: list[RowError] = []
    checked: list[_PupilRow] = []
    seen: dict[str, int] = {}
    today = timezone.localdate()
    for line, row in rows:
        problems: list[str] = []
        number = row["student_number"]
        if not number:
            problems.append(_("leerlingnummer ontbreekt"))
        elif len(number) > 20:
            problems.append(_("leerlingnummer is langer dan 20 tekens"))
        elif number in seen:
            problems.append(
                _("leerlingnummer %(number)s staat ook op regel %(line)s") % {"number": number, "line": seen[number]}
            )
        else:
            seen[number] = line
        for key, label, limit in (("first_name", _("voornaam"), 100), ("last_name", _("achternaam"), 100)):
            if not row[key]:
                problems.append(_("%(field)s ontbreekt") % {"field": label})
            elif len(row[key]) > limit:
                problems.append(_("%(field)s is te lang") % {"field": label})
        if len(row.get("infix", "")) > 30:
            problems.append(_("tussenvoegsel is te lang"))
        born = _parse_date(row["date_of_birth"])
        if born is None:
            problems.append(
                _("geboortedatum ‘%(value)s’ is geen datum (gebruik dd-mm-jjjj)") % {"value": row["date_of_birth"]}
            )
        elif born >= today or born.year < 1990:
            problems.append(_("geboortedatum %(value)s kan niet kloppen") % {"value": row["date_of_birth"]})
        match = GROUP_PATTERN.match(row["group"])
        if not match:
            problems.append(
                _("groep ‘%(value)s’ is onbekend (gebruik 1 tot en met 8, eventueel met een letter: 5b)")
                % {"value": row["group"]}
            )
        emails: list[str] = []
        for key, label in (("email_1", _("e-mail ouder 1")), ("email_2", _("e-mail ouder 2"))):
            value = row.get(key, "")
            if not value:
                continue
            cleaned = _clean_email(value)
            if cleaned is None:
                problems.append(
                    _("%(field)s ‘%(value)s’ is geen geldig e-mailadres") % {"field": label, "value": value}
                )
            elif cleaned not in emails:
                emails.append(cleaned)
        left_on = None
        if row.get("left_on", ""):
            left_on = _parse_date(row["left_on"])
            if left_on is None:
                problems.append(
                    _("datum uitschrijving ‘%(value)s’ is geen datum (gebruik dd-mm-jjjj)") % {"value": row["left_on"]}
                )
        if problems:
            errors.append(RowError(line, _sentence(problems)))
            continue
        assert match is not None and born is not None
        low, high, letter = match.group(1), match.group(2), match.group(3).lower()
        checked.append(
            _PupilRow(
                line=line,
                student_number=number,
                first_name=row["first_name"],
                infix=row.get("infix", ""),
                last_name=row["last_name"],
                date_of_birth=born,
                group_name=f"{low}/{high}{letter}" if high else f"{low}{letter}",
                grade=int(low),
                guardian_emails=emails,
                left_on=left_on,
            )
        )
    if errors:
        raise ImportRejected(errors)
    return checked


def pupils_import(*, data: bytes, school: School, school_year: str, dry_run: bool = False) -> ImportResult:
    """Import a school's pupils and their guardians for one school year.

    The file is the administration's truth for the pupils in it: names, date of birth, group and
    guardians are brought in line (a guardian no longer listed for a pupil is unlinked; consent
    decisions they gave stay on record). A leaving date in the file ("datum uitschrijving") is
    recorded; a pupil missing from the file is recorded as having left that day (once: a later
    import keeps the first date), and one back in the file without a date is no longer "left". The
    leaving date starts the retention term of the pupil's case records (retention kind "case_pupil").
    Raises ImportRejected with every bad row; then nothing is written.
    """
    checked = _check_pupil_rows(_read_rows(data, PUPIL_COLUMNS, PUPIL_REQUIRED))
    result = ImportResult(dry_run=dry_run)
    result.add("rows", len(checked))
    with transaction.atomic():
        groups = {g.name: g for g in Group.objects.filter(school=school, school_year=school_year)}
        new_groups = []
        for row in checked:
            if row.group_name not in groups:
                groups[row.group_name] = Group(
                    school=school, school_year=school_year, grade=row.grade, name=row.group_name
                )
                new_groups.append(groups[row.group_name])
        for group in new_groups:
            group.save()
        result.add("groups_created", len(new_groups))

        existing = {p.student_number: p for p in Pupil.objects.filter(school=school)}
        to_create, to_update = [], []
        fields = ("first_name", "infix", "last_name", "date_of_birth", "group_id", "left_on")
        for row in checked:
            values = {
                "first_name": row.first_name,
                "infix": row.infix,
                "last_name": row.last_name,
                "date_of_birth": row.date_of_birth,
                "group_id": groups[row.group_name].pk,
                "left_on": row.left_on,
            }
            pupil = existing.get(row.student_number)
            if pupil is None:
                to_create.append(Pupil(school=school, student_number=row.student_number, **values))
            elif any(getattr(pupil, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(pupil, key, value)
                to_update.append(pupil)
            else:
                result.add("pupils_unchanged")
        Pupil.objects.bulk_create(to_create, batch_size=500)
        Pupil.objects.bulk_update(to_update, fields, batch_size=500)
        result.add("pupils_created", len(to_create))
        result.add("pupils_updated", len(to_update))
        missing = Pupil.objects.filter(school=school, left_on__isnull=True).exclude(
            student_number__in=[r.student_number for r in checked]
        )
        result.add("pupils_left", missing.update(left_on=timezone.localdate()))
        pupils = {
            p.student_number: p
            for p in Pupil.objects.filter(school=school, student_number__in=[r.student_number for r in checked])
        }

        wanted_emails = {email for row in checked for email in row.guardian_emails}
        users = {u.email: u for u in User.objects.filter(email__in=wanted_emails)}
        for email in sorted(wanted_emails - users.keys()):
            users[email] = User.objects.create_user(email)
            result.add("guardians_created")

        wanted = {(users[email].pk, pupils[row.student_number].pk) for row in checked for email in row.guardian_emails}
        current = set(Guardianship.objects.filter(pupil__in=pupils.values()).values_list("guardian_id", "pupil_id"))
        Guardianship.objects.bulk_create(
            [Guardianship(guardian_id=g, pupil_id=p) for g, p in sorted(wanted - current)], batch_size=500
        )
        stale = current - wanted
        if stale:
            condition = Q()
            for guardian_id, pupil_id in stale:
                condition |= Q(guardian_id=guardian_id, pupil_id=pupil_id)
            Guardianship.objects.filter(condition).delete()
        result.add("guardianships_created", len(wanted - current))
        result.add("guardianships_removed", len(stale))
        if dry_run:
            transaction.set_rollback(True)
    return result


# Staff ---------------------------------------------------------------------------------------------


@dataclass
class _StaffRow:
    line: int
    email: str
    first_name: str
    last_name: str
    function: str
    school: School
    role: str


def _split_name(name: str) -> tuple[str, str]:
    """ "Jansen, Piet" or "Piet de Vries" → (first name, last name with infix)."""
    if "," in name:
        last, first = (part.strip() for part in name.split(",", 1))
        return first, last
    first, _space, last = name.partition(" ")
    return first, last.strip()


def _check_staff_rows(rows: list[tuple[int, dict]]) -> list[_StaffRow]:
    schools = list(School.objects.all())
    by_key = {s.brin.lower(): s for s in schools} | {s.name.lower(): s for s in schools}
    errors: list[RowError] = []
    checked: list[_StaffRow] = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in rows:
        problems: list[str] = []
        first, last = _split_name(row["name"])
        if not row["name"]:
            problems.append(_("naam ontbreekt"))
        elif len(first) > 150 or len(last) > 150:
            problems.append(_("naam is te lang"))
        email = _clean_email(row["email"])
        if not row["email"]:
            problems.append(_("e-mailadres ontbreekt"))
        elif email is None:
            problems.append(_("‘%(value)s’ is geen geldig e-mailadres") % {"value": row["email"]})
        school = by_key.get(row["school"].strip().lower())
        if school is None:
            problems.append(
                _("school ‘%(value)s’ is onbekend (gebruik de naam of het BRIN-nummer)") % {"value": row["school"]}
            )
        function = row.get("function", "")
        if len(function) > 100:
            problems.append(_("functie is langer dan 100 tekens"))
        if email and school and (email, school.pk) in seen:
            problems.append(
                _("%(email)s staat voor deze school ook op regel %(line)s")
                % {"email": email, "line": seen[(email, school.pk)]}
            )
        if problems:
            errors.append(RowError(line, _sentence(problems)))
            continue
        assert email is not None and school is not None
        seen[(email, school.pk)] = line
        role = (Role.SCHOOL_LEADER if LEADER_FUNCTIONS.search(function) else Role.STAFF).value
        checked.append(_StaffRow(line, email, first, last, function, school, role))
    if errors:
        raise ImportRejected(errors)
    return checked


def staff_import(
    *, data: bytes, dry_run: bool = False, invite_new: bool = True, requested_by: User | None = None
) -> ImportResult:
    """Import staff: a login per e-mail address and, per school, the staff role with the function.

    A function such as "directeur" or "adjunct-directeur" means school leadership. The import does not
    give or take that role itself: leadership opens the school's case files, so it files a role request
    (``accounts.services.role_request_file``, by ``requested_by``: the admin who imports, or nobody on
    the command line) that a board member approves in the portal; the same when a leader's function no
    longer says so. People not in the file keep their roles (leaving staff are removed by hand, deliberately).
    New staff get no password: with ``invite_new`` they are e-mailed a link to choose one
    (through the outbox, so only once the import has committed); later "Wachtwoord vergeten?" does.
    """
    checked = _check_staff_rows(_read_rows(data, STAFF_COLUMNS, STAFF_REQUIRED))
    result = ImportResult(dry_run=dry_run)
    result.add("rows", len(checked))
    with transaction.atomic():
        users = {u.email: u for u in User.objects.filter(email__in={row.email for row in checked})}
        created: list[str] = []
        for row in checked:
            user = users.get(row.email)
            if user is None:
                created.append(row.email)
                users[row.email] = User.objects.create_user(
                    row.email, first_name=row.first_name, last_name=row.last_name
                )
                result.add("staff_created")
            elif (user.first_name, user.last_name) != (row.first_name, row.last_name):
                user.first_name, user.last_name = row.first_name, row.last_name
                user.save(update_fields=["first_name", "last_name"])
                result.add("staff_updated")
        roles = {Role.STAFF.value, Role.SCHOOL_LEADER.value}
        current = {
            (a.user_id, a.school_id, a.role): a
            for a in RoleAssignment.objects.filter(user__in=users.values(), role__in=roles)
        }
        pending = set(
            RoleRequest.objects.filter(
                user__in=users.values(), role=Role.SCHOOL_LEADER, state=RoleRequestState.PENDING
            ).values_list("user_id", "school_id", "change")
        )
        for row in checked:
            user = users[row.email]
            assignment = current.get((user.pk, row.school.pk, Role.STAFF.value))
            if assignment is None:
                RoleAssignment.objects.create(user=user, school=row.school, role=Role.STAFF, function=row.function)
                result.add("roles_created")
            elif assignment.function != row.function:
                assignment.function = row.function
                assignment.save(update_fields=["function"])
            leads = (user.pk, row.school.pk, Role.SCHOOL_LEADER.value) in current
            wants = row.role == Role.SCHOOL_LEADER.value
            change = RoleChange.GRANT if wants and not leads else RoleChange.REMOVE if leads and not wants else None
            if change and user.is_active and (user.pk, row.school.pk, change.value) not in pending:
                role_request_file(
                    user=user,
                    role=Role.SCHOOL_LEADER,
                    change=change,
                    school=row.school,
                    function=row.function,
                    reason=_("Uit de import van medewerkers: functie ‘%(function)s’.") % {"function": row.function},
                    by=requested_by,
                )
                result.add("roles_requested")
        if invite_new:
            for email in created:
                user = User.objects.get(pk=users[email].pk)  # fresh: its roles decide the e-mail
                password_set_link_send(user=user, welcome=True)
            result.add("invitations_sent", len(created))
        if dry_run:
            transaction.set_rollback(True)
    return result
