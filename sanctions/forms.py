"""What a handler types about measures and escalations, validated; no side effects."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import (
    HEAVY_MEASURES,
    INFORMED_KINDS,
    MEASURES_BY_SUBJECT,
    PUPIL_AND_PARENT_MEASURES,
    STAFF_MEASURES,
    Assessment,
    InspectieDecision,
    MeasureKind,
    SafeHomeStep,
    SeriousIncidentKind,
    SubjectKind,
)
from .selectors import parents_for_case, pupils_for_case, pupils_to_signal_about, staff_for_case

KIND_CHOICES = [
    ("", _("Kies een maatregel")),
    (_("Voor een medewerker (Sancties 4)"), [(k.value, k.label) for k in STAFF_MEASURES]),
    (_("Voor een leerling of ouder/verzorger (Sancties 6)"), [(k.value, k.label) for k in PUPIL_AND_PARENT_MEASURES]),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class PupilChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        group = f" ({obj.group})" if obj.group_id else ""
        return f"{obj.full_name}{group}"


class PersonForm(forms.Form):
    """Whom it concerns: a staff member, a pupil or a parent of the case's school."""

    subject_kind = forms.ChoiceField(label=_("Het gaat om"), choices=SubjectKind.choices, widget=forms.RadioSelect)
    staff_member = forms.ModelChoiceField(label=_("Welke medewerker"), queryset=None, required=False)
    pupil = PupilChoiceField(label=_("Welke leerling"), queryset=None, required=False)
    parent = forms.ModelChoiceField(label=_("Welke ouder/verzorger"), queryset=None, required=False)

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_member"].queryset = staff_for_case(user=user, case=case)
        self.fields["pupil"].queryset = pupils_for_case(user=user, case=case)
        self.fields["parent"].queryset = parents_for_case(user=user, case=case)
        for name in ("staff_member", "pupil", "parent"):
            self.fields[name].empty_label = _("Kies")

    def clean(self):
        data = super().clean()
        kind = data.get("subject_kind")
        field = {SubjectKind.STAFF: "staff_member", SubjectKind.PUPIL: "pupil", SubjectKind.PARENT: "parent"}.get(kind)
        if field and not data.get(field):
            self.add_error(field, _("Kies wie het betreft."))
        for other in ("staff_member", "pupil", "parent"):
            if other != field:
                data[other] = None
        return data


class MeasureForm(PersonForm):
    kind = forms.ChoiceField(label=_("Maatregel"), choices=KIND_CHOICES)
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    decided_on = forms.DateField(label=_("Datum"), widget=DateInput())
    starts_on = forms.DateField(label=_("Van"), widget=DateInput(), required=False)
    ends_on = forms.DateField(
        label=_("Tot en met"),
        widget=DateInput(),
        required=False,
        help_text=_("Voor een schorsing of het in bewaring nemen van devices: de periode."),
    )
    # Toelichting: the school leader acts "in overleg met de directeur-bestuurder".
    board_consulted = forms.TypedChoiceField(
        label=_("Is de directeur-bestuurder over deze maatregel geraadpleegd?"),
        choices=[("yes", _("Ja")), ("no", _("Nee"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Voor een gesprek, waarschuwing, berisping, devices in bewaring of verwijderde berichten: het protocol "
            "laat de schoolleiding handelen in overleg met de directeur-bestuurder (Toelichting). Over een "
            "schorsing, ontslag of verwijdering beslist het bestuur zelf; dan hoeft u dit niet in te vullen."
        ),
    )
    board_consulted_on = forms.DateField(label=_("Datum van het overleg"), widget=DateInput(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()
        self.fields["kind"].help_text = _(
            "Schorsing, ontslag en verwijdering worden voorgesteld; ze gaan pas in als een ander lid van het "
            "bestuur ze goedkeurt."
        )

    def clean(self):
        data = super().clean()
        kind, subject_kind = data.get("kind"), data.get("subject_kind")
        if kind and subject_kind and kind not in MEASURES_BY_SUBJECT[subject_kind]:
            self.add_error("kind", _("Deze maatregel past niet bij wie het betreft."))
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("De einddatum ligt voor de begindatum."))
        if kind == MeasureKind.SUSPENSION and not (starts_on and ends_on):
            self.add_error("starts_on", _("Geef de periode van de schorsing: van en tot en met."))
        self._clean_board_consultation(data, kind)
        return data

    def _clean_board_consultation(self, data: dict, kind: str | None) -> None:
        if kind in HEAVY_MEASURES:
            data["board_consulted"], data["board_consulted_on"] = None, None
            return
        consulted, on = data.get("board_consulted"), data.get("board_consulted_on")
        if consulted is None and "board_consulted" not in self.errors:
            self.add_error(
                "board_consulted", _("Geef aan of de directeur-bestuurder over deze maatregel is geraadpleegd.")
            )
        elif consulted and on is None and "board_consulted_on" not in self.errors:
            self.add_error("board_consulted_on", _("Geef de datum van het overleg met de directeur-bestuurder."))
        elif consulted and on > timezone.localdate():
            self.add_error(
                "board_consulted_on", _("De datum van het overleg met de directeur-bestuurder ligt in de toekomst.")
            )
        if not consulted:
            data["board_consulted_on"] = None

    @property
    def is_heavy(self) -> bool:
        return self.cleaned_data.get("kind") in HEAVY_MEASURES


class PersonAddForm(PersonForm):
    pass


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Toelichting bij het besluit"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
        help_text=_("Verplicht bij afwijzen."),
    )


class ConductFindingForm(forms.Form):
    is_boundary_crossing = forms.TypedChoiceField(
        label=_("Oordeel van de SKOW over de communicatie van de medewerker"),
        choices=[("yes", _("Grensoverschrijdend")), ("no", _("Niet grensoverschrijdend"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Onderbouwing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class InspectorCallForm(forms.Form):
    called_on = forms.DateField(label=_("Datum van het gesprek"), widget=DateInput())
    called_at = forms.TimeField(label=_("Tijd"), widget=TimeInput())
    caller = forms.CharField(label=_("Wie belde"), max_length=200)
    advice = forms.CharField(label=_("Advies van de Vertrouwensinspecteur"), widget=forms.Textarea(attrs={"rows": 4}))
    # WPO art. 4a: required for a report of sexual behaviour of staff towards a pupil (the service says so).
    inspector_name = forms.CharField(
        label=_("Naam van de vertrouwensinspecteur"),
        max_length=200,
        required=False,
        help_text=_("Verplicht bij een melding onder WPO art. 4a."),
    )
    has_reasonable_suspicion = forms.TypedChoiceField(
        label=_("Conclusie: redelijk vermoeden van een strafbaar feit?"),
        choices=[("", _("Niet van toepassing")), ("yes", _("Ja")), ("no", _("Nee"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        help_text=_(
            "Verplicht bij een melding onder WPO art. 4a. Bij ja: ouders en beschuldigde informeren, dan aangifte."
        ),
    )

    def clean_called_on(self):
        day = self.cleaned_data["called_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day


class PoliceReportForm(forms.Form):
    reported_on = forms.DateField(label=_("Datum van de aangifte"), widget=DateInput())
    reported_by = forms.CharField(label=_("Wie deed aangifte"), max_length=200)
    reference = forms.CharField(label=_("Kenmerk of proces-verbaalnummer"), max_length=100, required=False)
    police_unit = forms.CharField(
        label=_("Politie-eenheid"),
        max_length=200,
        required=False,
        help_text=_("Verplicht bij een melding onder WPO art. 4a, met het registratienummer als kenmerk."),
    )
    notes = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_reported_on(self):
        day = self.cleaned_data["reported_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day


class InformedForm(forms.Form):
    """WPO art. 4a: the parents or the accused were informed before the aangifte."""

    kind = forms.ChoiceField(
        label=_("Wie is geïnformeerd?"),
        choices=[(kind.value, kind.label) for kind in INFORMED_KINDS],
        widget=forms.RadioSelect,
    )
    informed_on = forms.DateField(label=_("Datum"), widget=DateInput())
    informed_by = forms.CharField(label=_("Door wie"), max_length=200)
    notes = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_informed_on(self):
        day = self.cleaned_data["informed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day


class SafeHomeStartForm(forms.Form):
    pupil = PupilChoiceField(label=_("Leerling"), queryset=None, empty_label=_("Kies"))
    done_on = forms.DateField(label=_("Datum"), widget=DateInput())
    notes = forms.CharField(
        label=_("Stap 1: welke signalen zijn er?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils_for_case(user=user, case=case)
        self.fields["done_on"].initial = timezone.localdate()


class SafeHomeStepForm(forms.Form):
    done_on = forms.DateField(label=_("Datum"), widget=DateInput())
    notes = forms.CharField(label=_("Aantekeningen"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    unsafety = forms.ChoiceField(
        label=_("Afwegingskader: is er sprake van acute of structurele onveiligheid?"),
        choices=Assessment.choices,
        widget=forms.RadioSelect,
    )
    help_feasible = forms.ChoiceField(
        label=_("Afwegingskader: is hulp mogelijk, wordt die geaccepteerd en leidt die tot veiligheid?"),
        choices=Assessment.choices,
        widget=forms.RadioSelect,
    )
    reported_to_safe_home = forms.BooleanField(label=_("Melden bij Veilig Thuis (0800-2000)"), required=False)
    help_offered = forms.BooleanField(label=_("Hulp geboden of georganiseerd"), required=False)
    help_evaluation_on = forms.DateField(
        label=_("Evaluatie van de hulp op"),
        required=False,
        widget=DateInput(),
        help_text=_("Verplicht als de school hulp biedt of organiseert; die dag komt er een herinnering."),
    )

    def __init__(self, *args, step: int, melding_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.melding_required = melding_required
        self.fields["done_on"].initial = timezone.localdate()
        if step < SafeHomeStep.WEIGH:
            del self.fields["unsafety"]
            del self.fields["help_feasible"]
        if step != SafeHomeStep.DECIDE:
            del self.fields["reported_to_safe_home"]
            del self.fields["help_offered"]
            del self.fields["help_evaluation_on"]
        elif melding_required:
            # The afwegingskader of step 4 requires the melding: it cannot be left out.
            field = self.fields["reported_to_safe_home"]
            field.disabled = True
            field.initial = True
            field.help_text = _("Verplicht: bij stap 4 wees het afwegingskader op onveiligheid of twijfel daarover.")


class MeldcodeSignalForm(forms.Form):
    pupil = PupilChoiceField(label=_("Leerling"), queryset=None, empty_label=_("Kies"))
    done_on = forms.DateField(label=_("Datum"), widget=DateInput())
    notes = forms.CharField(
        label=_("Welke signalen ziet u?"),
        help_text=_("Beschrijf wat u zag of hoorde, met data; geen oordeel of vermoeden over de dader."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils_to_signal_about(user=user)
        self.fields["done_on"].initial = timezone.localdate()


class MeldcodeStatusForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class SeriousIncidentForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Wat maakt dit incident ernstig?"),
        choices=SeriousIncidentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies wat dit incident ernstig maakt.")},
    )


class InspectieDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Besluit"),
        choices=InspectieDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies of het incident bij de Inspectie is gemeld.")},
    )
    decided_on = forms.DateField(label=_("Datum van het besluit"), widget=DateInput())
    note = forms.CharField(
        label=_("Toelichting (zonder namen)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].initial = timezone.localdate()

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day


class ProtocolVersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Versie %(number)s") % {"number": obj.number}


class SafetyEvaluationForm(forms.Form):
    """The yearly evaluatie (Inspectie standard VS1): the monitor, the conclusions, the measures."""

    monitor_instrument = forms.CharField(
        label=_("Instrument van de monitor"),
        max_length=200,
        help_text=_("Het gevalideerde instrument waarmee de school de veiligheidsbeleving van leerlingen mat."),
    )
    monitor_held_on = forms.DateField(label=_("Datum van de monitor"), widget=DateInput())
    monitor_delivered = forms.BooleanField(
        label=_("De resultaten zijn aangeleverd (bij de Inspectie, via het instrument)"), required=False
    )
    conclusions = forms.CharField(
        label=_("Conclusies"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Schrijf geen namen van leerlingen, ouders of medewerkers: dit komt in het jaaroverzicht."),
    )
    measures_taken = forms.CharField(
        label=_("Genomen maatregelen"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    protocol_version = ProtocolVersionChoiceField(
        label=_("Protocolversie die het bestuur daarop vaststelde"),
        queryset=None,
        required=False,
        empty_label=_("Geen: het protocol bleef ongewijzigd"),
    )

    def __init__(self, *args, protocol_versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol_version"].queryset = protocol_versions

    def clean_monitor_held_on(self):
        day = self.cleaned_data["monitor_held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return day
