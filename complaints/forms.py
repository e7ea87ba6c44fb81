"""What a complainant and the handlers type; no side effects."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import School

from .constants import INFORMAL_STEPS, Step


class DateInput(forms.DateInput):
    """The browser's date picker: it reads and writes ISO dates whatever the page's language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ComplaintForm(forms.Form):
    school = forms.ModelChoiceField(label=_("Over welke school gaat het?"), queryset=School.objects.none())
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    description = forms.CharField(
        label=_("Uw klacht"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        help_text=_("Wat is er gebeurd, wie was erbij betrokken, en wat heeft u al gedaan om het op te lossen?"),
    )
    event_on = forms.DateField(
        label=_("Wanneer gebeurde het?"),
        widget=DateInput(),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    is_about_leadership = forms.BooleanField(
        label=_("Mijn klacht gaat over de schoolleiding (dan behandelt het bestuur haar)"), required=False
    )
    # Shown once the date is more than a year ago: the complaint is still taken in.
    accept_late = forms.BooleanField(
        label=_("Ik begrijp dat mijn klacht over iets van meer dan een jaar geleden gaat, en dien haar toch in"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.order_by("name")

    def clean_event_on(self):
        event_on = self.cleaned_data["event_on"]
        if event_on > timezone.localdate():
            raise forms.ValidationError(_("De datum van de gebeurtenis kan niet in de toekomst liggen."))
        return event_on


class StepForm(forms.Form):
    to_step = forms.ChoiceField(label=_("Volgende stap"))
    on = forms.DateField(
        label=_("Datum (bij de Landelijke Klachtencommissie)"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    note = forms.CharField(
        label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5_000
    )

    def __init__(self, *args, current: str = Step.RECEIVED, **kwargs):
        super().__init__(*args, **kwargs)
        later = INFORMAL_STEPS[INFORMAL_STEPS.index(current) + 1 :] if current in INFORMAL_STEPS else ()
        choices = [(step.value, step.label) for step in later]
        if current != Step.COMMITTEE:
            choices.append((Step.RESOLVED.value, Step.RESOLVED.label))
        self.fields["to_step"].choices = choices


class AdviceForm(forms.Form):
    advice_on = forms.DateField(
        label=_("Advies van de commissie ontvangen op"),
        widget=DateInput(),
        error_messages={"invalid": _("Vul een geldige datum in."), "required": _("Vul de datum van het advies in.")},
    )


class DecisionForm(forms.Form):
    decided_on = forms.DateField(
        label=_("Besluit genomen op"),
        widget=DateInput(),
        initial=timezone.localdate,
        error_messages={"invalid": _("Vul een geldige datum in."), "required": _("Vul de datum van het besluit in.")},
    )
    decision = forms.CharField(
        label=_("Besluit van het bestuur"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        error_messages={"required": _("Beschrijf het besluit.")},
    )
