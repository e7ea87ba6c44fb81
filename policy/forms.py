from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import Document

MARKDOWN_HELP = _(
    "Markdown: een kopje begint met ## (of ### voor een onderdeel) en eindigt met {#anker}; "
    "een artikel begint met een nummer en een punt aan het begin van de regel, zoals '6. '. "
    "Het anker en het nummer samen maken de link naar het artikel, zoals #a-6."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DraftCreateForm(forms.Form):
    # Which document the draft is of; the protocol unless the board drafts the staff channel's regeling.
    document = forms.ChoiceField(
        label=_("Document"), choices=Document.choices, initial=Document.PROTOCOL, required=False
    )
    change_note = forms.CharField(
        label=_("Wat wil je veranderen?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Verplicht. Medewerkers lezen dit als eerste wanneer de nieuwe versie ingaat."),
        error_messages={"required": _("Beschrijf kort wat er verandert.")},
    )


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    change_note = forms.CharField(
        label=_("Wat is er veranderd"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("In gewone taal; dit ziet een medewerker als eerste bij de nieuwe versie."),
        error_messages={"required": _("Beschrijf kort wat er verandert.")},
    )
    body = forms.CharField(
        label=_("Tekst van het protocol"),
        widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace"}),
        help_text=MARKDOWN_HELP,
        strip=False,
        error_messages={"required": _("De tekst van het protocol is leeg.")},
    )
    explanation = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}), required=False
    )
    summary_for_parents = forms.CharField(
        label=_("Samenvatting voor de schoolgids"),
        widget=forms.Textarea(attrs={"rows": 6, "class": "font-monospace"}),
        required=False,
    )


class CouncilDecisionForm(forms.Form):
    CONSENT, REFUSE = "consent", "refuse"
    decision = forms.ChoiceField(
        label=_("Besluit van de (G)MR"),
        choices=[(CONSENT, _("De (G)MR stemt in")), (REFUSE, _("De (G)MR stemt niet in"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies het besluit van de (G)MR.")},
    )
    decided_on = forms.DateField(
        label=_("Datum van het besluit"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": _("Vul de datum van het besluit in."), "invalid": _("Vul een geldige datum in.")},
    )
    minutes_reference = forms.CharField(
        label=_("Verwijzing naar de notulen"),
        max_length=200,
        help_text=_("Bijvoorbeeld: notulen GMR-vergadering 12 maart, punt 4."),
        error_messages={"required": _("Vermeld waar het besluit staat (notulen).")},
    )
    reasons = forms.CharField(
        label=_("Redenen (bij weigering)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REFUSE and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Een weigering vermeldt de redenen van de (G)MR."))
        return data


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Vastgesteld op"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"required": _("Vul de datum van vaststelling in."), "invalid": _("Vul een geldige datum in.")},
    )
    effective_from = forms.DateField(
        label=_("In werking vanaf"),
        widget=DateInput(),
        initial=timezone.localdate,
        help_text=_("Vandaag of later. Op die dag wordt medewerkers gevraagd de nieuwe versie te lezen."),
        error_messages={"required": _("Vul de ingangsdatum in."), "invalid": _("Vul een geldige datum in.")},
    )


class VersionDatesForm(forms.Form):
    """The real dates of a version adopted before the portal (version 1, July 2020)."""

    council_decided_on = forms.DateField(
        label=_("Datum van de instemming van de (G)MR"),
        widget=DateInput(),
        error_messages={"required": _("Vul de datum van het besluit in."), "invalid": _("Vul een geldige datum in.")},
    )
    minutes_reference = forms.CharField(
        label=_("Verwijzing naar de notulen"),
        max_length=200,
        required=False,
        help_text=_("Als u die weet, bijvoorbeeld: notulen GMR-vergadering 23 juni 2020, punt 4."),
    )
    adopted_on = forms.DateField(
        label=_("Datum van vaststelling door het bestuur"),
        widget=DateInput(),
        error_messages={"required": _("Vul de datum van vaststelling in."), "invalid": _("Vul een geldige datum in.")},
    )
    adopted_by_name = forms.CharField(
        label=_("Vastgesteld door"),
        max_length=200,
        initial=_("Het bestuur van de SKOW"),
        error_messages={"required": _("Vul in wie het protocol heeft vastgesteld.")},
    )
    effective_from = forms.DateField(
        label=_("In werking vanaf"),
        widget=DateInput(),
        error_messages={"required": _("Vul de ingangsdatum in."), "invalid": _("Vul een geldige datum in.")},
    )
