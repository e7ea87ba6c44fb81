"""The public pages: the version in force, any adopted version, history, diff, print and PDF."""

from __future__ import annotations

import base64
import datetime
import re
import time
import zlib

import pytest

from policy import selectors
from policy.constants import VersionStatus
from policy.models import ProtocolVersion
from policy.tests.factories import ProtocolVersionFactory
from policy.views import PUBLIC_PAGE_SECONDS

pytestmark = pytest.mark.django_db


def version_2(**changes) -> ProtocolVersion:
    v1 = ProtocolVersion.objects.get(number=1)
    body = v1.body.replace(
        "6. Het is medewerkers niet toegestaan om met een privéaccount",
        "6. Het is medewerkers nooit toegestaan om via een privéaccount",
    )
    return ProtocolVersionFactory(
        adopted=True,
        number=2,
        body=body,
        explanation=v1.explanation,
        summary_for_parents=v1.summary_for_parents,
        change_note="A.6 aangescherpt.",
        **changes,
    )


def test_protocol_page_shows_the_version_in_force_with_an_anchor_per_article(client):
    html = client.get("/protocol/").content.decode()
    for anchor in ["a-6", "a-1", "a-9", "b-5", "c-4", "uitgangspunten-5", "doelgroep-2", "sancties-7", "voetnoot-1"]:
        assert f'id="{anchor}"' in html
    assert 'href="#a-6"' in html  # the table of contents
    assert html.count("<h1") == 1


NUM_QUERIES_PROTOCOL_FOR_STAFF = 7


def test_protocol_page_query_count_is_pinned(client, teacher, django_assert_num_queries):
    client.force_login(teacher)  # the personal page; the anonymous one is a cache hit (below)
    client.get("/protocol/")
    # session, user, roles, the version in force, the previous version ("what changed"), the inbox badge,
    # and the menu's question whether this teacher holds a role of the school's role register
    with django_assert_num_queries(NUM_QUERIES_PROTOCOL_FOR_STAFF):
        response = client.get("/protocol/")
    assert response.status_code == 200


def test_a_version_that_is_not_in_force_is_marked(client):
    ProtocolVersion.objects.filter(number=1).update(status=VersionStatus.SUPERSEDED)
    version_2(status=VersionStatus.IN_FORCE)
    html = client.get("/protocol/1/").content.decode()
    assert 'data-testid="not-in-force"' in html and "geldt niet meer" in html
    assert 'data-testid="not-in-force"' not in client.get("/protocol/2/").content.decode()


def test_drafts_are_not_public(client):
    draft = ProtocolVersionFactory(submitted=True)
    assert client.get(f"/protocol/{draft.pk + 100}/").status_code == 404
    assert client.get("/protocol/2/").status_code == 404


def test_diff_shows_added_and_removed_words_of_an_edited_article(client):
    version_2()
    html = client.get("/protocol/diff/1/2/").content.decode()
    assert "<del>niet</del>" in html and "<ins>nooit</ins>" in html
    assert "<del>met</del>" in html and "<ins>via</ins>" in html
    assert 'data-anchor="a-6"' in html
    assert 'data-anchor="a-5"' not in html  # unchanged articles are folded away
    assert 'data-anchor="a-5"' in client.get("/protocol/diff/1/2/?alles=1").content.decode()


def test_diff_chooser_redirects_and_refuses_bad_input(client):
    version_2()
    assert client.get("/protocol/diff/?a=2&b=1").url == "/protocol/diff/1/2/"
    response = client.get("/protocol/diff/?a=x&b=1", follow=True)
    assert "Kies twee versies" in response.content.decode()
    assert client.get("/protocol/diff/1/9/").status_code == 404


@pytest.mark.parametrize("query", ["a=0&b=-1", "a=-2&b=1", "a=0&b=0", "a=1&b=" + "9" * 5000])
def test_diff_chooser_refuses_numbers_no_version_can_have(client, query):
    # Found by the fuzz tests: a minus sign made the redirect's reverse() fail with a 500.
    version_2()
    response = client.get(f"/protocol/diff/?{query}")
    assert response.status_code == 400 and "Kies twee" in response.content.decode()


def test_history_lists_versions_with_dates_and_change_notes(client):
    version_2()
    html = client.get("/protocol/history/").content.decode()
    assert "A.6 aangescherpt." in html and "komt nog" in html
    assert html.count("nog niet vastgelegd") == 2  # version 1's dates, until the board records them
    assert "1 september 2026" in html  # version 2's (G)MR consent


def pdf_text(data: bytes) -> str:
    """The strings a reportlab PDF draws (its page streams are ASCII85 + Flate encoded)."""
    text = b""
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        stream = stream.strip().replace(b"\n", b"").removesuffix(b"~>")
        text += zlib.decompress(base64.a85decode(stream))
    return b" ".join(re.findall(rb"\((.*?)\) Tj", text)).decode("cp1252").replace("\\(", "(").replace("\\)", ")")


def test_print_and_pdf_carry_version_number_and_dates(client):
    html = client.get("/protocol/1/print/").content.decode()
    assert "1 juli 2020" in html and "Wassenaar, juli 2020" in html and "nog niet vastgelegd" in html
    response = client.get("/protocol/1/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert "versie-1.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "versie 1" in text and "Instemming (G)MR nog niet vastgelegd" in text
    assert "In werking vanaf 1 juli 2020" in text
    for words in ["(artikel 4 AVG)", "Wassenaar, juli 2020", "Sociale media schoolgids", "ontslag op staande voet;"]:
        assert words in text


def test_version_in_force_on_a_day(db):
    v2 = version_2(effective_from=datetime.date(2026, 10, 1))
    assert selectors.protocol_version_in_force_on(day=datetime.date(2019, 1, 1)) is None
    assert selectors.protocol_version_in_force_on(day=datetime.date(2021, 1, 1)).number == 1
    assert selectors.protocol_version_in_force_on(day=datetime.date(2026, 10, 1)) == v2


def test_diff_shows_words_not_markdown(client):
    v1 = ProtocolVersion.objects.get(number=1)
    body = v1.body.replace("(artikel 4 AVG)", "(artikel 4 lid 1 AVG)")
    ProtocolVersionFactory(adopted=True, number=2, body=body, explanation=v1.explanation, change_note="Voetnoot.")
    html = client.get("/protocol/diff/1/2/").content.decode()
    assert 'data-anchor="a-2"' in html and "<ins>lid 1</ins>" in html
    assert "{:" not in html and "](#" not in html


def test_anonymous_protocol_page_is_served_from_the_cache_without_queries(client, django_assert_num_queries):
    first = client.get("/protocol/")
    with django_assert_num_queries(0):
        again = client.get("/protocol/")
    assert again.content == first.content
    assert b"csrfmiddlewaretoken" not in again.content  # no visitor's secret in a shared page


def test_the_anonymous_page_may_be_kept_by_a_proxy_but_a_personal_one_may_not(client, teacher):
    from django.utils.cache import has_vary_header

    anonymous = client.get("/protocol/")
    assert "public" in anonymous["Cache-Control"] and "max-age=300" in anonymous["Cache-Control"]
    assert has_vary_header(anonymous, "Cookie") and has_vary_header(anonymous, "Accept-Language")
    client.force_login(teacher)
    personal = client.get("/protocol/")
    assert "public" not in personal.get("Cache-Control", "")


def test_logged_in_staff_get_their_own_protocol_page(client, teacher):
    client.get("/protocol/")  # an anonymous copy in the cache must not be served to staff
    client.force_login(teacher)
    page = client.get("/protocol/").content.decode()
    assert str(teacher) in page


def test_visitors_see_a_new_version_in_force_once_the_stored_page_expires(client, monkeypatch):
    """Each web process keeps the page in its own cache: visitors get the stored page until it expires."""
    from django.core.cache.backends import locmem

    first = client.get("/protocol/").content.decode()
    assert "Versie 1" in first
    ProtocolVersion.objects.filter(number=1).update(status=VersionStatus.SUPERSEDED)
    version_2(status=VersionStatus.IN_FORCE)
    assert client.get("/protocol/").content.decode() == first  # a proxy may keep it as long

    class Later:
        @staticmethod
        def time() -> float:
            return time.time() + PUBLIC_PAGE_SECONDS + 1

    monkeypatch.setattr(locmem, "time", Later)
    assert "Versie 2" in client.get("/protocol/").content.decode()


def test_a_personal_protocol_page_is_never_stored(client, teacher, django_assert_num_queries):
    client.force_login(teacher)
    client.get("/protocol/")
    ProtocolVersion.objects.filter(number=1).update(status=VersionStatus.SUPERSEDED)
    version_2(status=VersionStatus.IN_FORCE)
    assert "Versie 2" in client.get("/protocol/").content.decode()


def test_language_switch_works_from_a_cached_page_without_a_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.get("/protocol/")
    response = strict.post(
        "/i18n/setlang/", {"language": "en", "next": "/protocol/"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"
    response = strict.post("/i18n/setlang/", {"language": "en"}, headers={"Origin": "http://testserver"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.testserver"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
    ],
)
def test_another_site_cannot_switch_a_visitors_language(client, headers):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/protocol/"}, headers=headers)
    assert response.status_code == 403 and "django_language" not in response.cookies


def test_the_diff_shows_no_heading_for_a_part_without_changes(client):
    version_2()  # changes A.6 only: the toelichting and the summary are the same
    html = client.get("/protocol/diff/1/2/").content.decode()
    assert '<h2 class="h4">Protocol</h2>' in html
    assert '<h2 class="h4">Toelichting</h2>' not in html and "Samenvatting voor de schoolgids</h2>" not in html
    everything = client.get("/protocol/diff/1/2/?alles=1").content.decode()
    assert '<h2 class="h4">Toelichting</h2>' in everything  # unchanged text, shown on request


def test_a_part_empty_in_both_versions_has_no_heading_even_when_showing_everything(client):
    ProtocolVersionFactory(adopted=True, number=2, body="## A {#a}\n\n1. Een.\n")
    ProtocolVersionFactory(adopted=True, number=3, body="## A {#a}\n\n1. Twee.\n")
    html = client.get("/protocol/diff/2/3/?alles=1").content.decode()
    assert '<h2 class="h4">Protocol</h2>' in html and "Toelichting</h2>" not in html


def test_the_same_text_twice_says_so_instead_of_empty_headings(client):
    v1 = ProtocolVersion.objects.get(number=1)
    ProtocolVersionFactory(
        adopted=True,
        number=2,
        body=v1.body,
        explanation=v1.explanation,
        summary_for_parents=v1.summary_for_parents,
    )
    html = client.get("/protocol/diff/1/2/").content.decode()
    assert 'data-testid="no-changes"' in html and '<h2 class="h4">' not in html


def test_the_diff_page_without_versions_chosen_is_a_chooser(client):
    version_2()
    response = client.get("/protocol/diff/")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="diff-chooser"' in html
    assert "alert-danger" not in html and "Kies twee" not in html
    assert client.get("/protocol/diff/?a=1&b=2").url == "/protocol/diff/1/2/"
    response = client.get("/protocol/diff/?a=1&b=7")
    assert response.status_code == 400 and "Kies twee versies uit de lijst." in response.content.decode()


def test_the_chooser_with_one_version_says_there_is_nothing_to_compare(client):
    html = client.get("/protocol/diff/").content.decode()
    assert 'data-testid="only-one-version"' in html


def test_the_protocol_page_explains_the_age_of_16_around_the_seed_text_not_in_it(client):
    html = client.get("/protocol/").content.decode()
    assert 'data-testid="age-of-consent"' in html and "vanaf de dag dat een leerling 16 wordt" in html
    v1 = ProtocolVersion.objects.get(number=1)
    assert "ouder dan 16 jaar" in v1.body and "AVG (artikel 8)" not in v1.body + v1.explanation
    html = client.get("/protocol/1/print/").content.decode()
    assert 'data-testid="age-of-consent"' in html
    # A later version that words A.5 as the portal reads it needs no explanation.
    ProtocolVersion.objects.filter(number=1).update(status="superseded")
    ProtocolVersionFactory(
        adopted=True, number=2, status="in_force", body=v1.body.replace("ouder dan 16 jaar", "van 16 jaar en ouder")
    )
    assert 'data-testid="age-of-consent"' not in client.get("/protocol/2/").content.decode()
