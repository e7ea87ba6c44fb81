"""What a teacher or leader types about a recording permission, validated; no side effects."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import RecordingKind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RecordingPermissionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Wat mag worden opgenomen"), choices=RecordingKind.choices)
    lesson = forms.CharField(
        label=_("Les"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: rekenles van dinsdag. Leeg voor alle lessen in de periode."),
    )
    recorded_by = forms.CharField(
        label=_("Door wie"), max_length=200, help_text=_("Bijvoorbeeld: de leerkracht, of leerlingen van de groep.")
    )
    purpose = forms.CharField(
        label=_("Doel"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Waarvoor de opname is en wie hem te zien krijgt. Noem geen leerlingen bij naam."),
    )
    valid_from = forms.DateField(label=_("Vanaf"), widget=DateInput())
    valid_until = forms.DateField(label=_("Tot en met"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("valid_from", timezone.localdate())

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("De einddatum ligt vóór de begindatum."))
        return data


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van intrekken"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bijvoorbeeld: de opname is niet meer nodig. Noem geen leerlingen bij naam."),
        error_messages={"required": _("Vul in waarom u de toestemming intrekt.")},
    )
