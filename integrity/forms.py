"""What a reporter, an officer and the board type in the staff channel; no side effects."""

from __future__ import annotations

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .constants import Intake
from .models import IntegrityOfficer


class MisstandForm(forms.Form):
    description = forms.CharField(
        label=_("Wat wilt u melden?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
        help_text=_("Wat is er gebeurd, waar en wanneer, en waarom vermoedt u een misstand?"),
    )
    people_involved = forms.CharField(
        label=_("Wie zijn erbij betrokken? (niet verplicht)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2_000,
    )
    named_officers = forms.ModelMultipleChoiceField(
        label=_("Gaat uw melding (ook) over een van de integriteitsfunctionarissen?"),
        help_text=_(
            "Wie u aanvinkt, krijgt uw melding niet te zien. Gaat het over allen, dan behandelt het bestuur haar."
        ),
        queryset=IntegrityOfficer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    intake = forms.ChoiceField(
        label=_("Hoe wilt u melden?"), choices=Intake.choices, initial=Intake.FORM, widget=forms.RadioSelect
    )
    reporter_name = forms.CharField(
        label=_("Uw naam (leeg laten om anoniem te melden)"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    reporter_contact = forms.CharField(
        label=_("Telefoonnummer of e-mailadres (nodig voor een gesprek)"),
        required=False,
        max_length=200,
        help_text=_("Alleen de functionaris ziet dit. Wij sturen geen e-mail met de inhoud van uw melding."),
    )
    # A key per form shown: the same key twice (a double click) makes one report.
    submission_key = forms.CharField(
        widget=forms.HiddenInput,
        min_length=16,
        max_length=64,
        error_messages={"required": _("Het formulier is verlopen. Verstuur het opnieuw.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["submission_key"] = secrets.token_urlsafe(32)
        self.fields["named_officers"].queryset = IntegrityOfficer.objects.active().select_related("user")
        self.fields["named_officers"].label_from_instance = lambda officer: (
            officer.user.get_full_name() or str(officer.user)
        )


class ReceiptCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Uw volgcode"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("De code die u kreeg na het melden, bijvoorbeeld ABCD-EFGH-JKMN-PQRS-TVWX."),
    )


class ReporterMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Uw bericht of aanvulling"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )


class AcknowledgeForm(forms.Form):
    body = forms.CharField(
        label=_("Ontvangstbevestiging aan de melder"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5_000,
        initial=_("Wij hebben uw melding ontvangen en nemen haar in behandeling."),
    )


class OfficerMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Bericht aan de melder"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    is_feedback = forms.BooleanField(
        label=_("Dit is de terugkoppeling: wat er met de melding is gedaan"), required=False
    )


class ConversationForm(forms.Form):
    held_on = forms.DateField(
        label=_("Datum van het gesprek"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een geldige datum in.")},
    )
    body = forms.CharField(
        label=_("Verslag van het gesprek"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text=_("De melder leest dit verslag bij het volgen van de melding en kan erop reageren."),
    )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Een gesprek kan niet in de toekomst gevoerd zijn."))
        return held_on


class NameOfficerForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("De melding gaat (ook) over"), queryset=IntegrityOfficer.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = IntegrityOfficer.objects.active().select_related("user")


class CloseForm(forms.Form):
    body = forms.CharField(
        label=_("Afsluitend bericht aan de melder"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5_000,
    )


class DesignateForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Persoon"), queryset=User.objects.none())
    is_external = forms.BooleanField(label=_("Externe functionaris (buiten de scholen)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(role_assignments__role="school_leader")
            .exclude(password="")
            .order_by("last_name", "first_name", "email")
        )
