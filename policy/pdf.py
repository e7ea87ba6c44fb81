"""The protocol as a PDF (reportlab: pure Python, so it works without system libraries)."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .articles import Section, document_of, plain_text


def _plain_paragraphs(markdown_text: str) -> list[str]:
    """Markdown reduced to plain paragraphs, escaped for reportlab's mini-markup."""
    text = plain_text(markdown_text)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    return [escape(p) for p in paragraphs if p]


def _day(day) -> str:
    return date_format(day, "j F Y") if day else "—"


def _recorded_day(version, day) -> str:
    """A date of the adoption record; for version 1 before the board recorded it: say so."""
    if day is None and version.adopted_before_portal:
        return _("nog niet vastgelegd")
    return _day(day) + (" (demo)" if day and version.dates_are_demo else "")


def _story_of(sections: list[Section], styles) -> list:
    story = []
    for section in sections:
        if section.title:
            style = styles["Heading2"] if section.level == 2 else styles["Heading3"]
            story.append(Paragraph(escape(section.title), style))
        story += [Paragraph(p, styles["BodyText"]) for p in _plain_paragraphs(section.intro)]
        for article in section.articles:
            paragraphs = _plain_paragraphs(article.markdown)
            first, rest = (paragraphs[0] if paragraphs else ""), paragraphs[1:]
            story.append(Paragraph(first, styles["article"], bulletText=f"{article.number}."))
            story += [Paragraph(p, styles["article"]) for p in rest]
    return story


def protocol_pdf(version) -> bytes:
    """The full text of ``version`` with its number and adoption dates on the first page and in the footer."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    styles.add(
        ParagraphStyle("article", parent=styles["BodyText"], leftIndent=0.8 * cm, bulletIndent=0, alignment=TA_LEFT)
    )
    document = document_of(version)
    footer = _("%(title)s — versie %(number)s — vastgesteld %(adopted)s") % {
        "title": version.title,
        "number": version.number,
        "adopted": _recorded_day(version, version.adopted_on),
    }

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 1.2 * cm, footer)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, _("pagina %(page)s") % {"page": doc.page})
        canvas.restoreState()

    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{version.title} — {_('versie')} {version.number}",
        author="SKOW",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    record = Table(
        [
            [_("Versie"), str(version.number)],
            [_("Instemming (G)MR"), _recorded_day(version, version.council_decided_on)],
            [_("Vastgesteld door het bestuur"), _recorded_day(version, version.adopted_on)],
            [_("In werking vanaf"), _day(version.effective_from)],
        ],
        colWidths=[6 * cm, 8 * cm],
        hAlign="LEFT",
    )
    record.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9)]))
    story = [Paragraph(escape(version.title), styles["Title"]), record, Spacer(1, 0.5 * cm)]
    story += _story_of(document.sections, styles)
    story += _story_of(document.explanation, styles)
    story += _story_of(document.summary, styles)
    pdf.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
