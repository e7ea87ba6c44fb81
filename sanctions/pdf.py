"""The yearly incident overview as a PDF (reportlab, as the protocol's PDF in policy/pdf.py)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .overview import PRIMARY, SECONDARY, YearlyOverview

_GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)


def _grid(rows: list[list[str]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(_GRID)
    return table


def overview_pdf(overview: YearlyOverview) -> bytes:
    """Every table of the overview, its durations and the schools' evaluaties, suppressed as on the page."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    title = _("Jaaroverzicht incidenten %(year)s — %(scope)s") % {"year": overview.year_label, "scope": overview.scope}

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2 * cm, 1.2 * cm, title)
        canvas.drawRightString(A4[0] - 2 * cm, 1.2 * cm, _("pagina %(page)s") % {"page": doc.page})
        canvas.restoreState()

    pdf = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="SKOW",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(
            escape(
                _(
                    "Dossiers geopend tussen 1 augustus %(start)s en 31 juli %(end)s. Zonder namen, nummers of "
                    "tekst uit dossiers. %(primary)s: minder dan 5, niet getoond. %(secondary)s: niet getoond, "
                    "zodat een kleiner aantal niet uit het totaal is terug te rekenen."
                )
                % {
                    "start": overview.year,
                    "end": overview.year + 1,
                    "primary": PRIMARY,
                    "secondary": SECONDARY,
                }
            ),
            styles["BodyText"],
        ),
    ]
    for table in overview.tables:
        story.append(Paragraph(escape(table.title), styles["Heading3"]))
        rows = [[_("Soort"), _("Aantal")]] + [
            [Paragraph(escape(cell.label), styles["BodyText"]), cell.shown] for cell in table.cells
        ]
        if table.has_total:
            rows.append([_("Totaal"), table.total_shown])
        story.append(_grid(rows, [12 * cm, 3 * cm]))
        if table.note:
            story.append(Paragraph(escape(table.note), styles["Italic"]))
    story.append(Paragraph(escape(_("Doorlooptijden in dagen")), styles["Heading3"]))
    rows = [[_("Van opening tot"), _("Dossiers"), _("Mediaan"), _("75e perc."), _("90e perc.")]]
    for duration in overview.durations:
        rows.append(
            [duration.title, duration.count_shown]
            + ["—" if value is None else str(value) for value in (duration.median, duration.p75, duration.p90)]
        )
    story.append(_grid(rows, [6.5 * cm, 2 * cm, 2 * cm, 2 * cm, 2 * cm]))
    story.append(Paragraph(escape(_("Jaarlijkse evaluatie")), styles["Heading2"]))
    if not overview.evaluations:
        story.append(Paragraph(escape(_("Voor dit schooljaar is nog geen evaluatie vastgelegd.")), styles["BodyText"]))
    for evaluation in overview.evaluations:
        story.append(Paragraph(escape(evaluation.school.name), styles["Heading3"]))
        version = evaluation.protocol_version
        record = [
            [_("Instrument van de monitor"), Paragraph(escape(evaluation.monitor_instrument), styles["BodyText"])],
            [_("Datum van de monitor"), date_format(evaluation.monitor_held_on, "j F Y")],
            [_("Resultaten aangeleverd"), _("ja") if evaluation.monitor_delivered else _("nee")],
            [_("Conclusies"), Paragraph(escape(evaluation.conclusions), styles["BodyText"])],
            [_("Genomen maatregelen"), Paragraph(escape(evaluation.measures_taken or "—"), styles["BodyText"])],
            [
                _("Protocolversie"),
                _("versie %(number)s") % {"number": version.number} if version else _("ongewijzigd"),
            ],
        ]
        table = Table(record, colWidths=[5 * cm, 11 * cm], hAlign="LEFT")
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Helvetica", 9), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story += [table, Spacer(1, 0.3 * cm)]
    pdf.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
