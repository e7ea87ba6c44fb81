"""The protocol's text as sections and numbered articles, each with a stable anchor ("A.6" → "a-6").

The Markdown of a version follows one convention, so articles keep the seed's numbering:
``## Title {#key}`` (or ``###``) opens a section (an empty title shows no heading); a line
``6. text`` at the start of a line opens article 6 of that section; lines after it (up to four
spaces of indent are dropped) belong to the article until the next article or heading.
Raw HTML is never passed through and an element keeps only ``id`` and ``class`` from the author
(``{: #key .class}``): the text is written by people in the portal.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import re
from dataclasses import dataclass, field

import markdown
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder
from markdown.treeprocessors import Treeprocessor

HEADING = re.compile(r"^(#{2,3})[ \t]*(.*?)[ \t]*(?:\{#([a-z0-9-]+)\})?[ \t]*$")
ARTICLE = re.compile(r"^(\d{1,3})\.[ \t]+(.*)$")
BLANK_CONSENT = "[[instemming]]"
BLANK_ADOPTION = "[[vaststelling]]"
# What the seed prints where a date is still to be filled in.
DOTS = "………………"
SAFE_LINK = re.compile(r"^(https?://|mailto:|#|/)", re.IGNORECASE)
# The only attributes on the public page: an anchor and a class an author may set (`{: #key .class}`),
# and what Markdown itself writes (a link's target and title, a list's first number). No `onclick`,
# no `style`: the text is written by people in the portal and read by everyone.
AUTHOR_ATTRIBUTES = frozenset({"id", "class"})
MARKDOWN_ATTRIBUTES = {"a": frozenset({"href", "title"}), "ol": frozenset({"start"})}


@dataclass
class Article:
    anchor: str
    label: str
    number: int
    markdown: str

    @property
    def html(self) -> SafeString:
        return render_markdown(self.markdown)


@dataclass
class Section:
    anchor: str
    title: str
    level: int
    intro: str = ""
    articles: list[Article] = field(default_factory=list)

    @property
    def intro_html(self) -> SafeString:
        return render_markdown(self.intro)

    @property
    def heading_tag(self) -> str:
        return f"h{self.level}"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "sectie"


def _label(section: Section, number: int) -> str:
    if len(section.anchor) == 1:  # A, B, C: the seed's "A.6"
        return f"{section.anchor.upper()}.{number}"
    return f"{section.title} {number}"


def _dedent(line: str) -> str:
    return re.sub(r"^( {1,4}|\t)", "", line)


def parse(text: str) -> list[Section]:
    """The sections and articles of a version's Markdown, in order."""
    sections: list[Section] = []
    current: Section | None = None
    lines: list[str] = []
    article_number: int | None = None
    seen: set[str] = set()

    def flush() -> None:
        nonlocal lines
        if current is None:
            if "\n".join(lines).strip():
                sections.append(Section(anchor="inhoud", title="", level=2, intro="\n".join(lines).strip()))
            lines = []
            return
        content = "\n".join(lines).strip()
        if article_number is None:
            current.intro = content
        else:
            current.articles.append(
                Article(
                    anchor=f"{current.anchor}-{article_number}",
                    label=_label(current, article_number),
                    number=article_number,
                    markdown=content,
                )
            )
        lines = []

    for raw in text.replace("\r\n", "\n").split("\n"):
        heading = HEADING.match(raw)
        if heading:
            flush()
            title = heading.group(2).strip()
            anchor = heading.group(3) or _slug(title)
            while anchor in seen:
                anchor += "-x"
            seen.add(anchor)
            current = Section(anchor=anchor, title=title, level=len(heading.group(1)))
            sections.append(current)
            article_number = None
            continue
        article = ARTICLE.match(raw)
        if article and current is not None:
            flush()
            article_number = int(article.group(1))
            lines.append(article.group(2))
            continue
        lines.append(_dedent(raw) if article_number is not None else raw)
    flush()
    return sections


class _IdAndClassOnly(AttrListTreeprocessor):
    """attr_list, restricted: ``{: #key .class}`` sets an anchor and classes; any other key is dropped."""

    def assign_attrs(self, elem, attrs_string: str, *, strict: bool = False) -> str:
        attrs, remainder = get_attrs_and_remainder(attrs_string)
        if strict and remainder:
            return remainder
        for key, value in attrs:
            if key == "id" and value:
                elem.set("id", value)
            elif key == "." and value:
                elem.set("class", f"{elem.get('class')} {value}" if elem.get("class") else value)
        return remainder


class _SafeElements(Treeprocessor):
    """The last step: safe link targets, no images, and no attribute outside the allow-list."""

    def run(self, root):
        for element in root.iter("a"):
            if not SAFE_LINK.match(element.get("href", "")):
                element.set("href", "#")
        for element in root.iter("img"):
            element.tag = "span"
            element.text = element.get("alt", "")
            element.attrib.clear()
        for element in root.iter():
            allowed = AUTHOR_ATTRIBUTES | MARKDOWN_ATTRIBUTES.get(element.tag, frozenset())
            for name in [name for name in element.attrib if name not in allowed]:
                del element.attrib[name]


class _NoRawHtml(Extension):
    """Escape HTML typed into the text instead of passing it through; attributes only as above."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_IdAndClassOnly(md), "attr_list", 8)  # in place of attr_list's own
        md.treeprocessors.register(_SafeElements(md), "safe_elements", 0)


@functools.lru_cache(maxsize=4096)
def render_markdown(text: str) -> SafeString:
    """HTML of one piece of the text; memoised, as a version's text never changes once adopted."""
    if not text.strip():
        return mark_safe("")
    html = markdown.markdown(text, extensions=[_NoRawHtml(), "sane_lists"], output_format="html")
    return mark_safe(html)  # noqa: S308 — raw HTML is escaped, links checked, attributes allow-listed


def _day(day: datetime.date | None) -> str:
    return date_format(day, "j F Y") if day else DOTS


def fill_blanks(text: str, *, council_decided_on: datetime.date | None, adopted_on: datetime.date | None) -> str:
    """The seed's blanks "na instemming van de (G)MR op … door het bestuur vastgesteld op …"."""
    return text.replace(BLANK_CONSENT, _day(council_decided_on)).replace(BLANK_ADOPTION, _day(adopted_on))


def blocks(sections: list[Section]) -> list[tuple[str, str, str]]:
    """(anchor, label, markdown) of every piece of text: section intros and articles."""
    result = []
    for section in sections:
        if section.intro:
            result.append((section.anchor, section.title or section.anchor, section.intro))
        for article in section.articles:
            result.append((article.anchor, article.label, article.markdown))
    return result


@dataclass
class BlockDiff:
    anchor: str
    label: str
    change: str  # "changed", "added", "removed", "same"
    html: SafeString
    new_text: str = ""  # the block's Markdown in the newer text ("" when removed)


LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
ATTRIBUTES = re.compile(r"^\{:[^}]*\}[ \t]*$", re.MULTILINE)


def plain_text(markdown_text: str) -> str:
    """What a reader sees of the Markdown, roughly: link texts without targets, no attribute lists."""
    text = ATTRIBUTES.sub("", LINK.sub(r"\1", markdown_text))
    text = text.replace(BLANK_CONSENT, DOTS).replace(BLANK_ADOPTION, DOTS)
    return text.replace("**", "").replace("__", "")


def _words(text: str) -> list[str]:
    return plain_text(text).split()


def diff_words(old: str, new: str) -> SafeString:
    """Words of ``new`` with what was removed in <del> and what was added in <ins>."""
    a, b = _words(old), _words(new)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(" ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # noqa: S308 — every piece of text is escaped above


def diff(old_text: str, new_text: str) -> list[BlockDiff]:
    """Per article (and section intro), what changed from ``old_text`` to ``new_text``."""
    old = {anchor: (label, text) for anchor, label, text in blocks(parse(old_text))}
    new = blocks(parse(new_text))
    result: list[BlockDiff] = []
    new_anchors = set()
    for anchor, label, text in new:
        new_anchors.add(anchor)
        if anchor not in old:
            result.append(BlockDiff(anchor, label, "added", diff_words("", text), text))
        elif _words(old[anchor][1]) == _words(text):
            result.append(BlockDiff(anchor, label, "same", escape(" ".join(_words(text))), text))
        else:
            result.append(BlockDiff(anchor, label, "changed", diff_words(old[anchor][1], text), text))
    for anchor, (label, text) in old.items():
        if anchor not in new_anchors:
            result.append(BlockDiff(anchor, label, "removed", diff_words(text, "")))
    return result


@dataclass
class Document:
    """What a page shows of one version: the text with its blanks filled, toelichting, summary."""

    sections: list[Section]
    explanation: list[Section]
    summary: list[Section]

    @property
    def contents(self) -> list[Section]:
        """Sections with a heading, for the table of contents."""
        return [s for s in self.sections + self.explanation + self.summary if s.title]


def says_older_than_16(version) -> bool:
    """Whether the text has the seed's "ouder dan 16 jaar" (A.5), which the portal reads as "from 16"
    (AVG art. 8, UAVG art. 5): the pages then explain that reading, around the text, never in it."""
    return "ouder dan 16" in version.body


def document_of(version) -> Document:
    body = fill_blanks(version.body, council_decided_on=version.council_decided_on, adopted_on=version.adopted_on)
    return Document(
        sections=parse(body), explanation=parse(version.explanation), summary=parse(version.summary_for_parents)
    )


# Carrying a draft onto a newer base -------------------------------------------------------------


@dataclass
class Merge:
    """A draft's changes carried onto a newer text: the result and the places both changed."""

    text: str
    conflicts: int


def _hunks(base: list[str], other: list[str], side: str) -> list[tuple[int, int, list[str], str]]:
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    return [(i1, i2, other[j1:j2], side) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def _apply(base: list[str], lo: int, hi: int, hunks: list[tuple[int, int, list[str], str]]) -> list[str]:
    result, at = [], lo
    for i1, i2, lines, _side in hunks:
        result += base[at:i1] + lines
        at = i2
    return result + base[at:hi]


def merge3(base_text: str, current_text: str, draft_text: str) -> Merge:
    """Line by line, both sides' changes to ``base_text``: what the version now current changed and
    what the draft changed (every article is one paragraph, so a line is an article or a heading).

    Where both changed the same lines differently, the current version's lines are kept: nothing
    adopted is undone silently; the board sees the conflict (``three_way``) and writes it again.
    """
    base = base_text.replace("\r\n", "\n").split("\n")
    current = current_text.replace("\r\n", "\n").split("\n")
    draft = draft_text.replace("\r\n", "\n").split("\n")
    hunks = sorted(_hunks(base, current, "current") + _hunks(base, draft, "draft"), key=lambda h: (h[0], h[1]))
    groups: list[list[tuple[int, int, list[str], str]]] = []
    for hunk in hunks:
        if groups:
            lo, hi = groups[-1][0][0], max(h[1] for h in groups[-1])
            overlaps = hunk[0] < hi or (hunk[0] == hunk[1] == lo == hi)
            if overlaps:
                groups[-1].append(hunk)
                continue
        groups.append([hunk])
    result: list[str] = []
    at = conflicts = 0
    for group in groups:
        lo, hi = group[0][0], max(h[1] for h in group)
        result += base[at:lo]
        mine = [h for h in group if h[3] == "current"]
        theirs = [h for h in group if h[3] == "draft"]
        if not theirs:
            result += _apply(base, lo, hi, mine)
        elif not mine:
            result += _apply(base, lo, hi, theirs)
        else:
            kept, carried = _apply(base, lo, hi, mine), _apply(base, lo, hi, theirs)
            conflicts += kept != carried
            result += kept
        at = hi
    result += base[at:]
    return Merge(text="\n".join(result), conflicts=conflicts)


@dataclass
class ThreeWayBlock:
    """One article (or section intro) changed on either side since the draft's base."""

    anchor: str
    label: str
    current: BlockDiff | None  # what the version now current changed, None when it left it alone
    draft: BlockDiff | None  # what the draft changes, None when it leaves it alone

    @property
    def is_conflict(self) -> bool:
        """Both changed it, and not in the same way."""
        return (
            self.current is not None
            and self.draft is not None
            and _words(self.current.new_text) != _words(self.draft.new_text)
        )


def three_way(base_text: str, current_text: str, draft_text: str) -> list[ThreeWayBlock]:
    """Per article, side by side: what the current version changed since the base, and what the draft changes."""
    current = {block.anchor: block for block in diff(base_text, current_text)}
    draft = {block.anchor: block for block in diff(base_text, draft_text)}
    result = []
    for anchor in [*current, *(a for a in draft if a not in current)]:
        mine, theirs = current.get(anchor), draft.get(anchor)
        mine = mine if mine is not None and mine.change != "same" else None
        theirs = theirs if theirs is not None and theirs.change != "same" else None
        if mine is None and theirs is None:
            continue
        label = (mine or theirs).label
        result.append(ThreeWayBlock(anchor=anchor, label=label, current=mine, draft=theirs))
    return result
