"""Version 1 is the seed's text, word for word: compared run by run with the rendered /protocol/ page."""

from __future__ import annotations

import datetime
import difflib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format

from policy import services
from policy.articles import DOTS
from policy.models import ProtocolVersion

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "protocol-sociale-media-skow-2020.txt"
SEED_COPY = Path(__file__).resolve().parents[1] / "seed" / "protocol-sociale-media-skow-2020.txt"
BLANK = "⟨blank⟩"
RUN = 8
INLINE = {"a", "span", "em", "strong", "ins", "del", "code", "sup", "sub", "abbr"}
VOID = {"br", "hr", "img", "input", "meta", "link"}


def seed_text() -> str:
    # The shared seed when present; the copy kept in policy/seed/ otherwise (a fresh clone).
    return (SEED if SEED.exists() else SEED_COPY).read_text(encoding="utf-8")


def seed_parts() -> dict[str, list[str]]:
    """The seed's words per part of the page; its blanks (dotted lines) become one marker each."""
    text = re.sub(r"…+(?=[^\s.…])", BLANK + " ", seed_text())
    text = re.sub(r"…+", BLANK, text)
    title_end = text.index("Inleiding")
    explanation = text.index("Toelichting opmerkingen")
    summary = text.index("Sociale media schoolgids")
    return {
        "title": text[:title_end].split(),
        "body": text[title_end:explanation].split(),
        "explanation": text[explanation:summary].split(),
        "summary": text[summary:].split(),
    }


class PartText(HTMLParser):
    """Collects the text of each ``data-part`` element, and of the h1."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: dict[str, list[str]] = {}
        self.stack: list[str | None] = []

    def _space(self, tag):
        # Block elements separate words; inline ones (a link, <ins>) do not.
        if tag not in INLINE and self.stack and self.stack[-1]:
            self.parts.setdefault(self.stack[-1], []).append(" ")

    def handle_starttag(self, tag, attrs):
        self._space(tag)
        if tag in VOID:
            return
        part = dict(attrs).get("data-part") or ("title" if tag == "h1" else None)
        self.stack.append(part or (self.stack[-1] if self.stack else None))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        self._space(tag)
        if self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1]:
            self.parts.setdefault(self.stack[-1], []).append(data)


def page_parts(html: str, version: ProtocolVersion) -> dict[str, list[str]]:
    parser = PartText()
    parser.feed(html)
    with translation.override("nl"):
        # A recorded date fills a blank; an unrecorded one shows the seed's dotted line.
        filled = [
            date_format(day, "j F Y") if day else DOTS for day in (version.council_decided_on, version.adopted_on)
        ]
    result = {}
    for name, pieces in parser.parts.items():
        text = "".join(pieces)
        for day in filled:
            text = text.replace(day, BLANK)
        result[name] = text.split()
    return result


def runs(words: list[str], size: int = RUN) -> list[str]:
    if len(words) <= size:
        return [" ".join(words)]
    return [" ".join(words[i : i + size]) for i in range(len(words) - size + 1)]


@pytest.fixture
def rendered(client):
    version = ProtocolVersion.objects.get(number=1)
    response = client.get("/protocol/")
    assert response.status_code == 200
    return page_parts(response.content.decode(), version)


@pytest.mark.parametrize("part", ["title", "body", "explanation", "summary"])
def test_every_run_of_eight_seed_words_is_on_the_protocol_page(rendered, part):
    page = " ".join(rendered[part])
    missing = [run for run in runs(seed_parts()[part]) if run not in page]
    assert not missing, f"{len(missing)} runs of the seed missing, first: {missing[:3]}"


@pytest.mark.parametrize("part", ["body", "explanation", "summary"])
def test_the_page_has_the_seed_words_in_order_and_nothing_else(rendered, part):
    seed, page = seed_parts()[part], rendered[part]
    if seed != page:
        delta = list(difflib.unified_diff(seed, page, lineterm="", n=2))[:40]
        pytest.fail("Page text differs from the seed:\n" + "\n".join(delta))


def test_the_blanks_of_the_adoption_sentence_stay_open_until_the_board_records_the_dates(client, board_member):
    html = client.get("/protocol/").content.decode()
    assert f"na instemming van de (G)MR op {DOTS} door het bestuur vastgesteld op {DOTS}." in html
    assert "nog niet in de portal vastgelegd" in html and "2020 (demo)" not in html and "23 juni" not in html
    services.protocol_version_record_dates(
        version=ProtocolVersion.objects.get(number=1),
        by=board_member,
        council_decided_on=datetime.date(2020, 6, 30),
        minutes_reference="GMR 30 juni 2020, punt 3",
        adopted_on=datetime.date(2020, 7, 6),
        adopted_by_name="Het bestuur van de SKOW",
        effective_from=datetime.date(2020, 8, 1),
    )
    html = client.get("/protocol/1/").content.decode()
    assert "na instemming van de (G)MR op 30 juni 2020 door het bestuur vastgesteld op 6 juli 2020." in html
    assert "…" not in html and "nog niet in de portal vastgelegd" not in html and "(demo)" not in html


def test_the_repository_keeps_an_exact_copy_of_the_seed():
    if not SEED.exists():
        pytest.skip("The shared seed is not next to this checkout.")
    assert SEED_COPY.read_bytes() == SEED.read_bytes()
