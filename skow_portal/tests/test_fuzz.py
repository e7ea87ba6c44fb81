"""Hostile input at every form and POST endpoint.

Hypothesis sends each endpoint its valid data with some fields replaced by junk: any text, unicode,
control characters, huge and empty values, lists where one value is expected, numbers and words
where the other is expected, forged ids. Whatever comes in, the portal never answers 500 and never
writes half: when the answer is not a redirect (the form is shown again, or 4xx), no row of the
portal's own tables has been added, removed or changed.

A new POST endpoint gets a row in ``ENDPOINTS``.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signing import get_cookie_signer
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import ThrottleCount, current_school_year
from skow_portal.tests.world import World

pytestmark = pytest.mark.django_db

PORTAL_APPS = {"accounts", "consent", "policy", "reports", "notifications", "sanctions"}
# Bookkeeping of the rate limits: a refused request is counted (and a check spent) on purpose.
NOT_CONTENT = {"accounts.ThrottleCount", "accounts.SpentChallenge"}
# 30 examples per test keeps the suite quick; FUZZ_EXAMPLES=300 for a deeper hunt now and then.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "99999999999999999999999999",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "\x00",
    "a\x00b",
    "\r\n",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "%00",
    "\u202egnp.exe",
    "𝕳𝖊𝖑𝖑𝖔 👩‍👩‍👧‍👦",
    "ÅÄÖ ñ ß ﬁ",
    "²",
    "①",
    "٣",
    "2026-02-30",
    "31-12-9999",
    "0001-01-01",
    "x" * 100_000,
]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
JUNK_VALUE = st.one_of(TEXT, st.sampled_from(NASTY), st.integers().map(str))
JUNK = st.one_of(JUNK_VALUE, st.lists(JUNK_VALUE, max_size=3))
OMIT = object()


def _pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


FILE_CONTENT = st.one_of(
    st.binary(max_size=2000),
    st.sampled_from([b"", _pdf(), b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"MZ\x90\x00", b"a;b;c\n1;2;3\n"]),
)


@dataclass(frozen=True)
class Endpoint:
    """A POST endpoint: who posts, where, and the valid data that junk is mixed into."""

    name: str
    role: str  # a key of World.users, or "visitor"
    url: Callable[[World], str]
    data: Callable[[World], dict] = lambda w: {}
    files: dict[str, Callable[[World], bytes]] = field(default_factory=dict)
    before: Callable[[World, Client], None] | None = None

    def __str__(self) -> str:
        return self.name


def _link_cookie(world: World, client: Client) -> None:
    """A browser that opened a login link: its secret waits in the cookie for the confirm page."""
    from django.utils import timezone

    from accounts.models import LoginLink
    from accounts.views import LINK_COOKIE

    token = "fuzz-login-link-" + os.urandom(8).hex()
    LoginLink.objects.create(
        user=world.users["parent"],
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        expires_at=timezone.now() + datetime.timedelta(minutes=30),
    )
    client.cookies[LINK_COOKIE] = token


def _unlock_cookie(world: World, client: Client) -> None:
    from django.core import signing

    from accounts.services import UNLOCK_SALT
    from accounts.views import UNLOCK_COOKIE

    client.cookies[UNLOCK_COOKIE] = signing.dumps({"u": world.users["staff"].pk, "n": "fuzz"}, salt=UNLOCK_SALT)


def _answers(world: World) -> dict:
    from consent.tests.factories import current_form

    form = current_form()
    return {f"{p}__{m}": "on" for p in form.purpose_codes for m in form.medium_codes}


def _cards(world: World) -> dict:
    """The consent page's one form: the parent's child's card, its ticks and the decision it showed."""
    key = f"p{world.pupil_a.pk}"
    return {f"{key}-{name}": value for name, value in _answers(world).items()} | {
        f"{key}-seen": str(world.decision_a.pk),
        "withdraw": "",
    }


def _follow_cookie(world: World, client: Client) -> None:
    from reports.views import FOLLOW_COOKIE, FOLLOW_SALT

    client.cookies[FOLLOW_COOKIE] = get_cookie_signer(salt=FOLLOW_COOKIE + FOLLOW_SALT).sign(str(world.report_a.pk))


def _password_only(world: World, client: Client) -> None:
    """A leader who typed the password and now owes the code of a linked app."""
    from accounts.tests.factories import confirmed_totp

    leader = world.users["leader_a"]
    if not leader.totpdevice_set.filter(confirmed=True).exists():
        confirmed_totp(leader)
    client.force_login(leader)


def _no_app_yet(world: World, client: Client) -> None:
    """A board member who must link an authenticator app first."""
    client.force_login(world.users["board"])


def _report(world: World) -> dict:
    return {
        "school": world.school_a.pk,
        "category": "bullying",
        "platform": "whatsapp",
        "happened_on": "2026-11-20",
        "description": "Noor wordt uitgescholden in de groepsapp van groep 7.",
        "involved_roles": ["pupil"],
        "involved_names": "",
        "reporter_role": "parent",
        "reporter_name": "Karin Bakker",
        "reporter_email": "karin@example.nl",
        "reporter_phone": "",
        "website": "",
        "submission_key": "fuzz-submission-key",
    }


PUPILS_CSV = (
    b"leerlingnummer;voornaam;tussenvoegsel;achternaam;geboortedatum;groep;e-mail ouder 1;e-mail ouder 2\n"
    b"9001;Fleur;;Visser;02-11-2015;5b;fleur.ouder@example.nl;\n"
)
STAFF_CSV = b"naam;e-mail;functie;school\nNieuwe Collega;nieuw@example.nl;leerkracht;01AB\n"

ENDPOINTS = [
    # accounts
    Endpoint(
        "login",
        "visitor",
        lambda w: "/accounts/login/",
        lambda w: {"username": "leerkracht@example.nl", "password": "fout"},
    ),
    Endpoint("link request", "visitor", lambda w: "/accounts/login/link/", lambda w: {"email": "ouder@example.nl"}),
    Endpoint("link login", "visitor", lambda w: "/accounts/login/link/open/", lambda w: {}, before=_link_cookie),
    Endpoint(
        "unlock request", "visitor", lambda w: "/accounts/login/unlock/", lambda w: {"email": "leerkracht@example.nl"}
    ),
    Endpoint("unlock", "visitor", lambda w: "/accounts/login/unlock/open/", lambda w: {}, before=_unlock_cookie),
    Endpoint(
        "password forgotten",
        "visitor",
        lambda w: "/accounts/password/forgotten/",
        lambda w: {"email": "leerkracht@example.nl"},
    ),
    Endpoint(
        "password set",
        "visitor",
        lambda w: "/accounts/password/set/MQ/set-password/",
        lambda w: {"new_password1": "Lang-en-sterk-2026", "new_password2": "Lang-en-sterk-2026"},
    ),
    Endpoint(
        "second factor",
        "visitor",
        lambda w: "/accounts/login/verify/",
        lambda w: {"token": "123456"},
        before=_password_only,
    ),
    Endpoint(
        "authenticator setup",
        "visitor",
        lambda w: "/accounts/two-factor/setup/",
        lambda w: {"token": "123456"},
        before=_no_app_yet,
    ),
    Endpoint(
        "hygiene disable",
        "admin",
        lambda w: "/accounts/hygiene/disable/",
        lambda w: {"user": w.users["staff"].pk, "reason": "no_second_factor"},
    ),
    Endpoint(
        "role request",
        "admin",
        lambda w: "/accounts/roles/request/",
        lambda w: {"email": w.users["council"].email, "change": "grant", "role": "board", "reason": "Nieuw lid"},
    ),
    Endpoint(
        "role request decide",
        "board",
        lambda w: f"/accounts/roles/{w.role_request.pk}/decide/",
        lambda w: {"decision": "approve"},
    ),
    Endpoint("language", "visitor", lambda w: "/i18n/setlang/", lambda w: {"language": "en", "next": "/protocol/"}),
    Endpoint(
        "accessibility problem",
        "visitor",
        lambda w: "/accessibility/report/",
        lambda w: {"problem": "De knop is niet te zien.", "page": "/consent/", "email": "ouder@example.nl"},
    ),
    # consent
    Endpoint("consent page", "parent", lambda w: "/consent/", _cards),
    Endpoint(
        "consent page withdraw",
        "parent",
        lambda w: "/consent/",
        lambda w: {**_cards(w), "withdraw": f"p{w.pupil_a.pk}"},
    ),
    Endpoint(
        "pupil invite",
        "leader_a",
        lambda w: f"/consent/sixteen/{w.pupil_16.pk}/invite/",
        lambda w: {f"p{w.pupil_16.pk}-email": "leerling-16@example.nl"},
    ),
    Endpoint("consent decide", "parent", lambda w: f"/consent/pupil/{w.pupil_a.pk}/", _answers),
    Endpoint("consent withdraw", "parent", lambda w: f"/consent/pupil/{w.pupil_a.pk}/withdraw/"),
    Endpoint("consent decide self", "staff", lambda w: "/consent/self/", _answers),
    Endpoint("consent withdraw self", "staff", lambda w: "/consent/self/withdraw/"),
    Endpoint(
        "consent paper",
        "staff",
        lambda w: f"/consent/pupil/{w.pupil_a.pk}/paper/",
        lambda w: {"signed_by": w.users["parent"].pk, "signed_on": "2026-11-01", **_answers(w)},
        files={"scan": lambda w: _pdf()},
    ),
    Endpoint(
        "campaign start",
        "leader_a",
        lambda w: "/consent/campaigns/",
        lambda w: {"school": w.school_a.pk, "school_year": "2027-2028"},
    ),
    Endpoint(
        "photo check",
        "staff",
        lambda w: f"/consent/groups/{w.group_a.pk}/photo-check/",
        lambda w: {
            "pupils": [w.pupil_a.pk],
            "staff": [],
            "purpose": "website",
            "medium": "photo",
            "description": "Sportdag",
            "publish": "1",
        },
    ),
    Endpoint("invitation", "visitor", lambda w: "/consent/invitation/", _answers),
    Endpoint("takedown done", "staff", lambda w: f"/consent/takedowns/{w.takedown_staff.pk}/done/"),
    Endpoint(
        "campaign remind", "leader_a", lambda w: f"/consent/campaigns/{w.campaign_a.pk}/groups/{w.group_a.pk}/remind/"
    ),
    # notifications
    Endpoint("inbox open", "parent", lambda w: f"/inbox/{w.notification_parent.pk}/open/"),
    Endpoint("inbox read all", "parent", lambda w: "/inbox/read-all/"),
    # reports
    Endpoint("report intake", "visitor", lambda w: "/report/", _report, files={"evidence": lambda w: b"bewijs"}),
    Endpoint("follow by code", "visitor", lambda w: "/report/follow/", lambda w: {"code": w.report_a_code}),
    Endpoint(
        "follow reply",
        "visitor",
        lambda w: "/report/follow/reply/",
        lambda w: {"body": "Er is weer iets gebeurd."},
        files={"evidence": lambda w: b"bewijs"},
        before=_follow_cookie,
    ),
    Endpoint("follow stop", "visitor", lambda w: "/report/follow/stop/", before=_follow_cookie),
    Endpoint(
        "case message",
        "leader_a",
        lambda w: f"/cases/{w.case_a.pk}/reports/{w.report_a.pk}/message/",
        lambda w: {"body": "Dank u, we kijken ernaar.", "kind": "feedback"},
    ),
    Endpoint("case about me", "leader_a", lambda w: f"/cases/{w.case_a.pk}/about-me/", lambda w: {"confirm": "1"}),
    # policy
    Endpoint(
        "draft new",
        "board",
        lambda w: "/protocol/drafts/new/",
        lambda w: {"change_note": "Nieuw", "based_on": w.draft.pk},
    ),
    Endpoint(
        "draft edit",
        "board",
        lambda w: f"/protocol/drafts/{w.draft.pk}/edit/",
        lambda w: {
            "title": "Protocol",
            "change_note": "Wijziging",
            "body": "## Uitgangspunten {#uitgangspunten}\n\n1. Tekst.\n",
            "explanation": "",
            "summary_for_parents": "",
        },
    ),
    Endpoint("draft submit", "board", lambda w: f"/protocol/drafts/{w.draft.pk}/submit/"),
    Endpoint(
        "council decision",
        "council",
        lambda w: f"/protocol/drafts/{w.draft_submitted.pk}/council/",
        lambda w: {"decision": "consent", "decided_on": "2026-11-01", "minutes_reference": "GMR 1 nov", "reasons": ""},
    ),
    Endpoint(
        "adopt",
        "board",
        lambda w: f"/protocol/drafts/{w.draft_consented.pk}/adopt/",
        lambda w: {"adopted_on": "2026-11-02", "effective_from": "2026-12-01"},
    ),
    Endpoint("acknowledge", "staff", lambda w: "/protocol/acknowledge/"),
    Endpoint("draft carry over", "board", lambda w: f"/protocol/drafts/{w.draft_consented.pk}/carry-over/"),
    Endpoint(
        "version 1 dates",
        "board",
        lambda w: "/protocol/1/dates/",
        lambda w: {
            "council_decided_on": "2020-06-30",
            "minutes_reference": "GMR 30 juni 2020",
            "adopted_on": "2020-07-06",
            "adopted_by_name": "Het bestuur van de SKOW",
            "effective_from": "2020-08-01",
        },
    ),
    Endpoint("remind now", "leader_a", lambda w: f"/protocol/acknowledgements/{w.school_a.pk}/remind/"),
    # the back office
    Endpoint(
        "import pupils",
        "admin",
        lambda w: f"/admin/accounts/school/{w.school_a.pk}/import-pupils/",
        lambda w: {"school_year": current_school_year(), "dry_run": "on"},
        files={"file": lambda w: PUPILS_CSV},
    ),
    Endpoint(
        "import staff",
        "admin",
        lambda w: "/admin/accounts/school/import-staff/",
        lambda w: {"dry_run": "on"},
        files={"file": lambda w: STAFF_CSV},
    ),
]


def _table_contents() -> dict[str, tuple[int, str]]:
    """Per portal table: its row count and a digest of every row, so a changed row shows as well as
    an added or removed one. The fuzz world is small; this reads it all."""
    contents = {}
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS and model._meta.label not in NOT_CONTENT:
            rows = list(model._default_manager.order_by("pk").values_list())
            contents[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:12])
    return contents


def _post(client: Client, world: World, endpoint: Endpoint, data: dict, *, url: str | None = None):
    """POST and check the two promises: no 500 (the test client raises it), no half write."""
    before = _table_contents()
    response = client.post(url or endpoint.url(world), data)
    assert response.status_code < 500
    if response.status_code not in (301, 302):
        changed = {k: (before[k], v) for k, v in _table_contents().items() if before[k] != v}
        assert not changed, f"{endpoint}: answered {response.status_code} but rows changed: {changed}"
    return response


def test_the_half_write_check_notices_a_changed_row_not_only_a_new_one(world):
    """The check above must see an edit that keeps every count (a text overwritten, a state moved)."""
    before = _table_contents()
    user = world.users["parent"]
    type(user).objects.filter(pk=user.pk).update(first_name=user.first_name + "x")
    changed = [label for label, content in _table_contents().items() if before[label] != content]
    assert changed == ["accounts.User"]


def _prepare(client: Client, world: World, endpoint: Endpoint, logged_in) -> None:
    cache.clear()
    ThrottleCount.objects.all().delete()  # rate limits would otherwise stop the exploration early
    client.logout()
    client.cookies.clear()
    if endpoint.role != "visitor":
        logged_in(world.users[endpoint.role], client=client)
    if endpoint.before:
        endpoint.before(world, client)


@st.composite
def mixed(draw, valid: dict, file_fields: dict) -> dict:
    """The valid data with any subset of fields replaced by junk or left out, plus perhaps stray fields."""
    data = {}
    for name in [*valid, *file_fields]:
        choice = draw(st.sampled_from(["keep", "keep", "junk", "omit"]))
        if choice == "omit":
            continue
        if name in file_fields:
            content = file_fields[name] if choice == "keep" else draw(FILE_CONTENT)
            filename = draw(st.sampled_from(["bewijs.txt", "scan.pdf", "foto.png", "", "../../x.csv", "ä" * 300]))
            data[name] = SimpleUploadedFile(filename or "leeg", content)
        else:
            data[name] = valid[name] if choice == "keep" else draw(JUNK)
    if draw(st.booleans()):
        data.update(draw(st.dictionaries(TEXT.filter(bool), JUNK, max_size=3)))
    return data


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
@FUZZ
@given(payload=st.data())
def test_junk_at_a_post_endpoint_never_errors_nor_half_writes(client, world, endpoint, payload, logged_in):
    _prepare(client, world, endpoint, logged_in)
    files = {name: content(world) for name, content in endpoint.files.items()}
    data = payload.draw(mixed(endpoint.data(world), files))
    _post(client, world, endpoint, data)


# Forged ids: another family's pupil, another school's group or case, numbers that fit no row ---------

FORGED = [
    ("consent decide", "parent", "/consent/pupil/{id}/", "pupil_other_family"),
    ("consent withdraw", "parent", "/consent/pupil/{id}/withdraw/", "pupil_b"),
    ("consent paper", "staff", "/consent/pupil/{id}/paper/", "pupil_b"),
    ("photo check", "staff", "/consent/groups/{id}/photo-check/", "group_b"),
    ("takedown done", "leader_b", "/consent/takedowns/{id}/done/", "takedown_staff"),
    ("campaign remind", "leader_b", "/consent/campaigns/{id}/groups/1/remind/", "campaign_a"),
    ("inbox open", "staff", "/inbox/{id}/open/", "notification_parent"),
    ("case message", "leader_b", "/cases/{id}/reports/{id}/message/", "case_a"),
    ("case about me", "leader_b", "/cases/{id}/about-me/", "case_a"),
    ("draft submit", "leader_a", "/protocol/drafts/{id}/submit/", "draft"),
    ("adopt", "leader_a", "/protocol/drafts/{id}/adopt/", "draft_consented"),
    ("draft carry over", "leader_a", "/protocol/drafts/{id}/carry-over/", "draft_consented"),
    ("remind now", "leader_b", "/protocol/acknowledgements/{id}/remind/", "school_a"),
    ("role request decide", "staff", "/accounts/roles/{id}/decide/", "role_request"),
]


@pytest.mark.parametrize(("name", "role", "pattern", "foreign"), FORGED, ids=[f[0] for f in FORGED])
@FUZZ
@given(number=st.one_of(st.integers(min_value=10**6, max_value=2**80), st.just(0)), use_foreign=st.booleans())
def test_a_forged_id_answers_404_and_writes_nothing(
    client, world, name, role, pattern, foreign, number, use_foreign, logged_in
):
    endpoint = Endpoint(name, role, lambda w: "")
    _prepare(client, world, endpoint, logged_in)
    target = world.value(foreign) if use_foreign else number
    response = _post(client, world, endpoint, {"body": "x", "decision": "consent"}, url=pattern.format(id=target))
    assert response.status_code == 404, f"{name} with id {target}: {response.status_code}"


# Missing CSRF token: refused, nothing written ----------------------------------------------------


# The language switch is deliberately exempt (skow_portal/urls.py): it changes no data, and without a
# token in the footer the public pages carry no visitor's secret and can be served from a cache.
CSRF_EXEMPT = {"language"}


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.name not in CSRF_EXEMPT], ids=str)
def test_a_post_without_csrf_token_is_refused_and_writes_nothing(world, endpoint, logged_in):
    client = Client(enforce_csrf_checks=True)
    _prepare(client, world, endpoint, logged_in)
    files = {name: SimpleUploadedFile("f", content(world)) for name, content in endpoint.files.items()}
    response = _post(client, world, endpoint, {**endpoint.data(world), **files})
    assert response.status_code == 403, f"{endpoint}: {response.status_code} without a CSRF token"


# Bodies too big or with too many fields: 400, never 500 --------------------------------------------


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.name in {"report intake", "login", "draft edit"}], ids=str
)
def test_an_oversized_body_or_too_many_fields_answers_400(client, world, endpoint, settings, logged_in):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200_000
    _prepare(client, world, endpoint, logged_in)
    assert _post(client, world, endpoint, {**endpoint.data(world), "description": "x" * 300_000}).status_code == 400
    many = {f"field{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert _post(client, world, endpoint, many).status_code == 400


# Query strings and path segments that pages read --------------------------------------------------

QUERY_PAGES = [
    ("visitor", "/protocol/diff/", ("a", "b")),
    ("visitor", "/protocol/1/", ("alles",)),
    ("visitor", "/report/thanks/", ("k",)),
    ("visitor", "/accounts/login/", ("next",)),
    ("parent", "/inbox/", ("page",)),
    ("leader_a", "/cases/", ("page",)),
    ("leader_a", "/accounts/login/verify/", ("next",)),
]


@pytest.mark.parametrize(("role", "path", "names"), QUERY_PAGES, ids=[p[1] for p in QUERY_PAGES])
@FUZZ
@given(payload=st.data())
def test_junk_in_a_query_string_never_errors(client, world, role, path, names, payload, logged_in):
    _prepare(client, world, Endpoint(path, role, lambda w: path), logged_in)
    query = {name: payload.draw(JUNK_VALUE) for name in names}
    assert client.get(path, query).status_code < 500


@FUZZ
@given(token=TEXT.filter(lambda t: t.strip("/") and "/" not in t and "\x00" not in t))
def test_junk_in_a_link_token_answers_gone(client, world, token):
    from urllib.parse import quote

    for path in (
        f"/accounts/login/link/{quote(token)}/",
        f"/accounts/login/unlock/{quote(token)}/",
        f"/consent/invitation/{quote(token)}/",
    ):
        client.cookies.clear()
        assert client.get(path, follow=True).status_code in (404, 410)
        assert _post(client, world, Endpoint("link", "visitor", lambda w: ""), {}, url=path).status_code in (404, 405)
    for path in ("/accounts/login/link/open/", "/accounts/login/unlock/open/", "/consent/invitation/"):
        assert _post(client, world, Endpoint("link", "visitor", lambda w: ""), {}, url=path).status_code == 410
