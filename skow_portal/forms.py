"""Forms of the project-wide pages: reporting an accessibility barrier."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class AccessibilityProblemForm(forms.Form):
    page = forms.CharField(
        label=_("Op welke pagina?"),
        max_length=300,
        required=False,
        help_text=_("Het adres of de naam van de pagina, bijvoorbeeld “Toestemming geven”."),
    )
    problem = forms.CharField(
        label=_("Wat lukte niet?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Beschrijf wat u wilde doen en wat er misging. Noem hier geen gegevens over een kind."),
        error_messages={"required": _("Beschrijf wat er niet lukte, dan kunnen wij het oplossen.")},
    )
    assistive_technology = forms.CharField(
        label=_("Welk hulpmiddel of welke browser gebruikt u? (niet verplicht)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: schermlezer NVDA met Firefox, vergroting op een telefoon, alleen het toetsenbord."),
    )
    name = forms.CharField(label=_("Uw naam (niet verplicht)"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Uw e-mailadres (niet verplicht)"),
        required=False,
        help_text=_("Alleen als u een antwoord wilt. Wij gebruiken het voor niets anders."),
    )
    # A field people do not see and bots fill in.
    website = forms.CharField(required=False, label=_("Laat dit veld leeg"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].widget.attrs["autocomplete"] = "off"
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "problem",
            "page",
            "assistive_technology",
            "name",
            "email",
            HTML('<div class="offscreen" aria-hidden="true">'),  # a honeypot: people never see it
            "website",
            HTML("</div>"),
            Submit("submit", _("Melding versturen")),
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))
