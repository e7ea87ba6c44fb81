"""What a staff member asks and a leader answers, validated; no side effects."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.constants import BEHAVIOUR_CATEGORIES, RULE_CATEGORIES, Category, Platform

from .constants import Topic


class QuestionForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=None, empty_label=None)
    topic = forms.ChoiceField(label=_("Waarover gaat het?"), choices=Topic.choices, widget=forms.RadioSelect)
    body = forms.CharField(
        label=_("Uw vraag"),
        max_length=5_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Beschrijf het gesprek of wat u wilt plaatsen. "
            "Alleen u en uw leidinggevende lezen dit; het is geen melding."
        ),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Uw antwoord"), max_length=5_000, widget=forms.Textarea(attrs={"rows": 4}))


CATEGORY_CHOICES = [
    ("", _("Kies wat er is gebeurd")),
    (_("Overtreding van de regels"), [(c.value, c.label) for c in RULE_CATEGORIES]),
    (_("Gedrag (A.8)"), [(c.value, c.label) for c in BEHAVIOUR_CATEGORIES]),
]


class ToCaseForm(forms.Form):
    category = forms.ChoiceField(label=_("Wat is er gebeurd?"), choices=CATEGORY_CHOICES)
    platform = forms.ChoiceField(
        label=_("Waar gebeurde het?"), choices=[("", _("Kies een platform")), *Platform.choices]
    )
    happened_on = forms.DateField(
        label=_("Wanneer gebeurde het?"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=_("Beschrijving voor het dossier"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Wat in het dossier komt. De vraag van de medewerker staat er al in; pas aan wat nodig is."),
    )

    def clean_category(self):
        value = self.cleaned_data["category"]
        if value not in Category.values:
            raise ValidationError(_("Kies wat er is gebeurd."))
        return value

    def clean_happened_on(self):
        day = self.cleaned_data["happened_on"]
        if day > timezone.localdate():
            raise ValidationError(_("Deze datum ligt in de toekomst."))
        return day
