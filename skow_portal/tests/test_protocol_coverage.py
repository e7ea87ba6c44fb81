"""docs/protocol-coverage.md has a row for every article of the protocol's seed text (and for every
section without numbered articles, such as the Toelichting), no empty cell, and names only files that
exist. The seed is version 1 as installed, word for word (policy/seed/)."""

from __future__ import annotations

import re
from pathlib import Path

from django.urls import resolve

from policy.articles import parse

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "protocol-coverage.md"
SEED = [ROOT / "policy" / "seed" / name for name in ("v1_protocol.md", "v1_explanation.md", "v1_summary.md")]
ROW_ANCHOR = re.compile(r"^\| \[[^\]]+\]\(/protocol/#([a-z0-9-]+)\) \|")
# The pages two other features are being built as (recording permissions; the staff question thread).


def seed_anchors() -> list[str]:
    """Every numbered article's anchor ("a-5", "sancties-3"), and the anchor of every section that
    has no numbered articles of its own ("inleiding", "avg", "vaststelling", "toelichting")."""
    anchors = []
    for path in SEED:
        for section in parse(path.read_text(encoding="utf-8")):
            anchors += [article.anchor for article in section.articles] or [section.anchor]
    return anchors


def table_rows() -> list[tuple[str, list[str]]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = ROW_ANCHOR.match(line)
        if match:
            cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
            rows.append((match.group(1), cells))
    return rows


def test_the_seed_has_the_articles_the_protocol_numbers():
    anchors = seed_anchors()
    assert {f"a-{n}" for n in range(1, 10)} | {f"b-{n}" for n in range(1, 6)} | {f"c-{n}" for n in range(1, 5)} <= set(
        anchors
    )
    assert {f"sancties-{n}" for n in range(1, 8)} | {"toelichting", "inleiding", "schoolgids"} <= set(anchors)


def test_every_article_of_the_seed_has_a_row():
    rows = {anchor for anchor, _cells in table_rows()}
    missing = [anchor for anchor in seed_anchors() if anchor not in rows]
    assert missing == []


def test_no_row_names_an_article_the_seed_does_not_have():
    assert {anchor for anchor, _cells in table_rows()} <= set(seed_anchors())


def test_no_row_is_left_empty():
    for anchor, cells in table_rows():
        assert len(cells) == 4, anchor
        assert all(cell and cell not in {"-", "—", "?"} for cell in cells), anchor


def test_the_files_the_table_names_exist():
    text = TABLE.read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_0-9]+\.(?:py|html|md))`", text))
    assert named, "the table names the code that applies each article"
    assert [path for path in sorted(named) if not (ROOT / path).exists()] == []


def test_the_recording_and_consultation_rows_name_pages_that_resolve():
    """A.1/A.7 point to the recording permissions, B.3/B.4 to the question to one's leader."""
    rows = dict(table_rows())
    for anchor, url in (
        ("a-1", "/recordings/"),
        ("a-7", "/recordings/groups/<pk>/"),
        ("b-3", "/consultations/new/"),
        ("b-4", "/consultations/new/"),
    ):
        assert f"`{url}`" in " ".join(rows[anchor]), anchor
    assert resolve("/recordings/").url_name == "group_list"
    assert resolve("/recordings/groups/1/").url_name == "group_detail"
    assert resolve("/consultations/new/").url_name == "new"
