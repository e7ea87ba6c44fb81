"""Whom a report names: the leaders of its school and the board members whose full name or e-mail
address its text holds (``leadership_named_in``). Nobody handles a case about themselves
(reports/access.py): whoever a report names is recorded as whom the case is about (``CaseSubject``)
and the case becomes the board's. The rules, and why each is as it is, are in the comment below.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from accounts.constants import Role
from accounts.models import User

from .constants import SubjectFinding

# Who a report is about: the school's leaders and the board, named in its text -----------------------
#
# Nobody handles a case about themselves, whatever the reporter ticked (the leader-is-subject rule).
# A report names a leader or board member when its text holds their full name or their e-mail address:
#
# - Full name: the first name, then the surname ("Anna de Vries"); or the surname, a comma and the
#   first name standing on their own ("De Vries, Anna", as in a list of names — "Piet de Vries, Anna
#   Jansen" names Piet and Anna Jansen, not Anna de Vries). Compared without case and accents
#   ("Ozlem" is "Özlem") and word by word: "Anna de Vriesland" does not name Anna de Vries, nor does
#   "Marie-Anna de Vries" (a hyphenated name is one name), nor a name broken by a full stop, a comma
#   or a new line ("... met De Vries. Anna zei ..."). The tussenvoegsels may be written or not, and
#   differently ("Anna Berg", "Anna vd Berg", "Anna v/d Berg", "Anna van den Berg" all name Anna van
#   der Berg): people write them every which way, and they alone never tell two people apart. Of
#   several given names ("Anna Maria") the first alone will do.
# - A first name alone ("juf Anna") or a surname alone ("mevrouw De Vries") names nobody: the school
#   has more than one Anna, and De Vries is one of the most common surnames of the country. Routing a
#   case away from the school on such a guess would hide it from the leaders who should handle it.
#   Initials ("A. de Vries") count as a surname alone. What this leaves out, the handler closes: whoever
#   opens a case about themselves says so with "deze melding gaat over mij", which the page asks first.
# - E-mail address: the whole address, as a word of its own.

# The Dutch (and a few Flemish and French) tussenvoegsels, as the text is split into words: "v/d" and
# "v.d." become "v d", "'t" becomes "t", "d'Ancona" becomes "d ancona".
PARTICLES = frozenset(
    {"van", "der", "den", "de", "het", "t", "ter", "ten", "te", "in", "op", "aan", "bij", "vd", "v", "d"}
    | {"la", "le", "du", "da", "di", "del", "des", "l", "vander", "vanden"}
)
# A word (a hyphenated name is one word), or what ends a name: a comma, a full stop after a word of
# three letters or more (not "v.d." nor "A."), other punctuation, a new line.
WORD = r"[^\W_]+(?:-[^\W_]+)*"
TOKEN = re.compile(rf"{WORD}|\.(?=\s|$)|[,;:!?()\[\]\"\n]")
COMMA, BREAK = ",", "|"
EMAIL_EDGE = r"[\w.%+-]"


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def name_tokens(text: str) -> list[str]:
    """``"Özlem van 't Hof-Jansen"`` → ``["ozlem", "van", "t", "hof-jansen"]``: the words, in lower
    case and without accents."""
    return re.findall(WORD, _plain(text))


def _text_tokens(text: str) -> list[str]:
    """The words of ``text`` with COMMA and BREAK where a name cannot run on."""
    tokens: list[str] = []
    for token in TOKEN.findall(_plain(text)):
        if token == ".":
            if tokens and len(tokens[-1]) >= 3:
                tokens.append(BREAK)
        elif token == COMMA:
            tokens.append(COMMA)
        elif not token[0].isalnum():
            tokens.append(BREAK)
        else:
            tokens.append(token)
    return tokens


def _surname_core(last_name: str) -> list[str]:
    """The surname without the tussenvoegsels before or after it: "van der Berg" and "Berg, van der"
    → ["berg"]; a double name keeps its own ("Jansen-de Vries" → ["jansen-de", "vries"])."""
    tokens = name_tokens(last_name)
    while tokens and tokens[0] in PARTICLES:
        tokens.pop(0)
    while tokens and tokens[-1] in PARTICLES:
        tokens.pop()
    return tokens


def _skip_particles(words: list[str], position: int, until: str) -> int:
    while position < len(words) and words[position] in PARTICLES and words[position] != until:
        position += 1
    return position


def _first_then_surname(words: list[str], start: int, first: list[str], surname: list[str]) -> bool:
    """ "Anna (de) Vries" at ``start``."""
    if words[start : start + len(first)] != first:
        return False
    position = _skip_particles(words, start + len(first), until=surname[0])
    return words[position : position + len(surname)] == surname


def _surname_comma_first(words: list[str], start: int, first: list[str], surname: list[str]) -> bool:
    """ "(De) Vries, Anna (de)" at ``start``, and nothing more to the name after it."""
    if words[start : start + len(surname)] != surname:
        return False
    position = start + len(surname)
    if words[position : position + 1] != [COMMA] or words[position + 1 : position + 1 + len(first)] != first:
        return False
    position = _skip_particles(words, position + 1 + len(first), until="")
    return position == len(words) or words[position] in (COMMA, BREAK)


def names_full_name(text: str, *, first_name: str, last_name: str) -> bool:
    """Does ``text`` hold this person's full name? (The rules are in the comment above.)"""
    surname = _surname_core(last_name)
    given = first_name.split()
    if not surname or not given:
        return False
    first_names = [name_tokens(first_name)]
    if len(given) > 1:
        first_names.append(name_tokens(given[0]))
    words = _text_tokens(text)
    return any(
        _first_then_surname(words, start, first, surname) or _surname_comma_first(words, start, first, surname)
        for start in range(len(words))
        for first in first_names
        if first
    )


def names_email(text: str, *, email: str) -> bool:
    if not email:
        return False
    pattern = rf"(?<!{EMAIL_EDGE}){re.escape(email.casefold())}(?!{EMAIL_EDGE}*[\w-])"
    return re.search(pattern, text.casefold()) is not None


@dataclass(frozen=True)
class NamedPerson:
    """A leader or board member a text names, and how: SubjectFinding.BY_NAME or BY_EMAIL."""

    user: User
    found_by: str


def leadership_named_in(*, school_id: int, texts: Iterable[str], reporter: User | None = None) -> list[NamedPerson]:
    """The active leaders of the school and board members whose full name or e-mail address one of
    ``texts`` holds (a report's description and involved names, or a reporter's message).

    ``reporter``, when logged in, is left out: a leader who reports and signs with her own name is
    not what the report is about.
    """
    texts = [text for text in texts if text]
    if not texts:
        return []
    people = (
        User.objects.filter(is_active=True)
        .filter(
            Q(role_assignments__role=Role.BOARD)
            | Q(role_assignments__role=Role.SCHOOL_LEADER, role_assignments__school_id=school_id)
        )
        .distinct()
        .order_by("pk")
    )
    if reporter is not None:
        people = people.exclude(pk=reporter.pk)
    named = []
    for person in people:
        if any(names_full_name(text, first_name=person.first_name, last_name=person.last_name) for text in texts):
            named.append(NamedPerson(person, SubjectFinding.BY_NAME))
        elif any(names_email(text, email=person.email) for text in texts):
            named.append(NamedPerson(person, SubjectFinding.BY_EMAIL))
    return named
