from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import Pupil, School, User, current_school_year

from .models import ConsentForm, FormText


def field_name(purpose: str, medium: str) -> str:
    return f"{purpose}__{medium}"


class ShownTextForm(forms.Form):
    """Which text of the form a page showed: the reader's language and the text's hash.

    Sent along with a decision (or a withdrawal), so it records what was read, whatever the
    language switch says by the time it arrives (services.consent_decide).
    """

    text_language = forms.CharField(widget=forms.HiddenInput, required=False, max_length=10)
    text_sha256 = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean_text_language(self) -> str:
        language = self.cleaned_data["text_language"]
        return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE

    def text_shown(self) -> dict[str, str]:
        """As services.consent_decide takes it: ``language`` and ``text_sha256_seen``."""
        return {"language": self.cleaned_data["text_language"], "text_sha256_seen": self.cleaned_data["text_sha256"]}


class ConsentAnswersForm(ShownTextForm):
    """One checkbox per purpose × medium of a form version. Never pre-ticked by default (opt-in).

    Given the text a reader sees (a ``FormText``), it carries which text that was (ShownTextForm).
    """

    def __init__(
        self,
        *args,
        consent_form: ConsentForm | FormText,
        current: dict | None = None,
        reader_language: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.consent_form = consent_form
        if isinstance(consent_form, FormText):
            self.fields["text_language"].initial = reader_language or consent_form.language
            self.fields["text_sha256"].initial = consent_form.sha256
        current = current or {}
        for purpose in consent_form.purposes:
            for medium in consent_form.media:
                name = field_name(purpose["code"], medium["code"])
                self.fields[name] = forms.BooleanField(
                    label=f"{purpose['label']}: {medium['label']}",
                    required=False,
                    initial=bool(current.get(purpose["code"], {}).get(medium["code"], False)),
                )

    # (purpose, medium) codes where the reader's own yes does not count (another guardian said no).
    overruled: set[tuple[str, str]] = frozenset()

    def rows(self):
        """Purposes with their bound checkboxes, for a grid in the template."""
        for purpose in self.consent_form.purposes:
            yield purpose, [self[field_name(purpose["code"], medium["code"])] for medium in self.consent_form.media]

    def cells(self):
        """Like rows(), each checkbox with whether the reader's saved yes there is overruled."""
        for purpose in self.consent_form.purposes:
            yield (
                purpose,
                [
                    (
                        self[field_name(purpose["code"], medium["code"])],
                        (purpose["code"], medium["code"]) in self.overruled,
                    )
                    for medium in self.consent_form.media
                ],
            )

    def answers(self) -> dict[str, dict[str, bool]]:
        return {
            p["code"]: {m["code"]: self.cleaned_data[field_name(p["code"], m["code"])] for m in self.consent_form.media}
            for p in self.consent_form.purposes
        }


class PupilInviteForm(forms.Form):
    """The pupil's own e-mail address, for a pupil of 16+ without a login (the school invites them)."""

    email = forms.EmailField(
        label=_("E-mailadres van de leerling zelf"),
        required=False,
        max_length=254,
        help_text=_("Niet het adres van een ouder: de leerling beslist zelf."),
        error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@example.nl.")},
    )


class CampaignStartForm(forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(), empty_label=None)
    school_year = forms.RegexField(
        label=_("Schooljaar"),
        regex=r"^\d{4}-\d{4}$",
        initial=current_school_year,
        error_messages={"invalid": _("Vul het schooljaar in als 2026-2027.")},
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools

    def clean_school_year(self) -> str:
        year = self.cleaned_data["school_year"]
        start, end = (int(part) for part in year.split("-"))
        if end != start + 1:
            raise forms.ValidationError(_("Een schooljaar loopt over twee opeenvolgende jaren, zoals 2026-2027."))
        return year


class ConsentRoundForm(forms.Form):
    """Start a new round after consent's text changed: one button per school and change offered."""

    school = forms.ModelChoiceField(queryset=School.objects.none(), widget=forms.HiddenInput)
    text_change = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class PersonChoiceField(forms.ModelMultipleChoiceField):
    """Checkboxes of people; an id no database can hold is refused before it reaches the query."""

    def _check_values(self, value):
        for pk in value or ():
            text = str(pk)
            if not text.isascii() or not text.isdigit() or int(text) > 2**63 - 1:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class PeopleCheckboxes(forms.CheckboxSelectMultiple):
    """A list of people to tick, as Bootstrap's form-check rows, with a line when there is nobody.

    One template for the whole list: Django's own renders four nested templates per option, which
    for a group of a thousand pupils cost more than the photo check itself.
    """

    template_name = "consent/widgets/people_checkboxes.html"

    def __init__(self, *, empty_text: str = "", **kwargs):
        super().__init__(attrs={"class": "form-check-input"}, **kwargs)
        self.empty_text = empty_text

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["empty_text"] = self.empty_text
        return context


class PhotoCheckForm(forms.Form):
    """Who is in the picture, and where would it go?"""

    pupils = PersonChoiceField(
        label=_("Welke leerlingen staan erop?"),
        queryset=Pupil.objects.none(),
        widget=PeopleCheckboxes(empty_text=_("Geen leerlingen in deze groep.")),
        required=False,
    )
    staff = PersonChoiceField(
        label=_("Welke medewerkers staan erop?"),
        queryset=User.objects.none(),
        widget=PeopleCheckboxes(),
        required=False,
    )
    purpose = forms.ChoiceField(label=_("Waar komt het?"))
    medium = forms.ChoiceField(label=_("Wat is het?"))
    description = forms.CharField(
        label=_("Korte omschrijving (voor het publicatieoverzicht)"),
        max_length=200,
        required=False,
        help_text=_("Bijvoorbeeld: sportdag groep 5, foto op Instagram."),
    )

    def __init__(self, *args, group, consent_form: ConsentForm, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        groups = groups or [group]
        if len(groups) == 1:
            self.fields["pupils"].queryset = groups[0].pupils.order_by("last_name", "first_name")
            self.fields["pupils"].label_from_instance = lambda pupil: pupil.full_name
        else:
            # A school trip or a whole-school photo: the pupils of each group under its own heading.
            queryset = Pupil.objects.filter(group__in=groups).order_by("last_name", "first_name")
            self.fields["pupils"].queryset = queryset
            by_group: dict[int, list] = {g.pk: [] for g in groups}
            for pk, group_id, first_name, infix, last_name in queryset.values_list(
                "pk", "group_id", "first_name", "infix", "last_name"
            ):
                by_group[group_id].append((pk, " ".join(part for part in (first_name, infix, last_name) if part)))
            self.fields["pupils"].widget.choices = [(str(g), by_group[g.pk]) for g in groups if by_group[g.pk]]
        from .selectors import staff_of_school

        self.fields["staff"].queryset = staff_of_school(school=group.school)
        self.fields["purpose"].choices = [(p["code"], p["label"]) for p in consent_form.purposes]
        self.fields["medium"].choices = [(m["code"], m["label"]) for m in consent_form.media]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("pupils") and not cleaned.get("staff"):
            raise forms.ValidationError(_("Kies wie er op de foto, film of opname staan."))
        return cleaned


class PaperConsentForm(ConsentAnswersForm):
    """A signed paper form typed over by staff, with its scan (the proof of what was signed)."""

    signed_by = forms.TypedChoiceField(label=_("Ondertekend door"), coerce=int)
    signed_on = forms.DateField(
        label=_("Datum op het formulier"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": _("Vul een datum in, zoals 25-11-2026.")},
    )
    scan = forms.FileField(
        label=_("Scan van het ondertekende formulier"),
        help_text=_("Pdf, jpg of png, hoogstens 10 MB."),
        error_messages={"required": _("Voeg de scan van het ondertekende formulier toe.")},
    )

    def __init__(self, *args, signers: list[tuple[int, str]], languages: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_by"].choices = [("", _("Kies wie tekende")), *signers]
        # The language of the printed text that was signed: the Dutch, or a translation of this version.
        self.fields["text_language"] = forms.ChoiceField(
            label=_("Taal van het formulier"),
            choices=list(languages) or [(settings.LANGUAGE_CODE, _("Nederlands"))],
            initial=settings.LANGUAGE_CODE,
            required=False,
        )
        # The signer and date first, the scan last: the order of the paper.
        order = ["signed_by", "signed_on"] + [n for n in self.fields if n not in {"signed_by", "signed_on", "scan"}]
        self.order_fields([*order, "scan"])

    def clean_scan(self):
        from .scans import scan_check

        upload = self.cleaned_data["scan"]
        scan_check(upload)  # raises a Dutch ValidationError for what is no scan
        return upload


class FormTranslationForm(forms.Form):
    """The text of one form version in another language, field by field beside the Dutch original."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    introduction = forms.CharField(label=_("Inleiding"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    exemptions = forms.CharField(
        label=_("Zonder toestemming"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    based_on = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, form: ConsentForm, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_form = form
        for purpose in form.purposes:
            code = purpose["code"]
            self.fields[f"purpose_{code}_label"] = forms.CharField(
                label=_("Doel: %(label)s") % {"label": purpose["label"]}, max_length=200
            )
            self.fields[f"purpose_{code}_explanation"] = forms.CharField(
                label=_("Uitleg bij: %(label)s") % {"label": purpose["label"]},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=1000,
            )
        for medium in form.media:
            self.fields[f"medium_{medium['code']}_label"] = forms.CharField(
                label=_("Medium: %(label)s") % {"label": medium["label"]}, max_length=100
            )

    @staticmethod
    def initial_from(text) -> dict:
        """The fields' values for a text (a FormText in the translation's language)."""
        initial = {"title": text.title, "introduction": text.introduction, "exemptions": text.exemptions}
        for purpose in text.purposes:
            initial[f"purpose_{purpose['code']}_label"] = purpose["label"]
            initial[f"purpose_{purpose['code']}_explanation"] = purpose["explanation"]
        for medium in text.media:
            initial[f"medium_{medium['code']}_label"] = medium["label"]
        return initial

    def purpose_rows(self):
        """(Dutch purpose, its label field, its explanation field), for the page."""
        return [
            (p, self[f"purpose_{p['code']}_label"], self[f"purpose_{p['code']}_explanation"])
            for p in self.consent_form.purposes
        ]

    def medium_rows(self):
        """(Dutch medium, its field), for the page."""
        return [(m, self[f"medium_{m['code']}_label"]) for m in self.consent_form.media]

    def text(self) -> dict:
        """What services.consent_form_translation_save takes."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "introduction": data["introduction"],
            "exemptions": data["exemptions"],
            "purposes": [
                {
                    "code": p["code"],
                    "label": data[f"purpose_{p['code']}_label"],
                    "explanation": data[f"purpose_{p['code']}_explanation"],
                }
                for p in self.consent_form.purposes
            ],
            "media": [{"code": m["code"], "label": data[f"medium_{m['code']}_label"]} for m in self.consent_form.media],
            "based_on_sha256": data["based_on"],
        }


class NextFormVersionForm(forms.Form):
    """The next version of the consent form, started from the current one: its words, and at most
    one new purpose and one new medium. Previewed first; published only with the confirmation."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    introduction = forms.CharField(label=_("Inleiding"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    exemptions = forms.CharField(
        label=_("Zonder toestemming"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    new_purpose_label = forms.CharField(label=_("Nieuw doel"), max_length=200, required=False)
    new_purpose_explanation = forms.CharField(
        label=_("Uitleg bij het nieuwe doel"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False
    )
    new_medium_label = forms.CharField(label=_("Nieuw medium"), max_length=100, required=False)
    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    previewed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    confirm = forms.BooleanField(label=_("Ik heb het voorbeeld gelezen en wil deze versie publiceren."), required=False)

    def __init__(self, *args, current: ConsentForm | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        for purpose in current.purposes if current else []:
            code = purpose["code"]
            self.fields[f"purpose_{code}_label"] = forms.CharField(
                label=_("Doel: %(label)s") % {"label": purpose["label"]}, max_length=200
            )
            self.fields[f"purpose_{code}_explanation"] = forms.CharField(
                label=_("Uitleg bij: %(label)s") % {"label": purpose["label"]},
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=1000,
            )
        for medium in current.media if current else []:
            self.fields[f"medium_{medium['code']}_label"] = forms.CharField(
                label=_("Medium: %(label)s") % {"label": medium["label"]}, max_length=100
            )

    @staticmethod
    def initial_from(current: ConsentForm | None) -> dict:
        if current is None:
            return {"based_on_version": None}
        initial = {
            "title": current.title,
            "introduction": current.introduction,
            "exemptions": current.exemptions,
            "based_on_version": current.version,
        }
        for purpose in current.purposes:
            initial[f"purpose_{purpose['code']}_label"] = purpose["label"]
            initial[f"purpose_{purpose['code']}_explanation"] = purpose["explanation"]
        for medium in current.media:
            initial[f"medium_{medium['code']}_label"] = medium["label"]
        return initial

    def clean(self):
        data = super().clean()
        if data.get("new_purpose_label", "").strip() and not data.get("new_purpose_explanation", "").strip():
            self.add_error("new_purpose_explanation", _("Leg uit waarvoor het nieuwe doel is."))
        if data.get("new_purpose_explanation", "").strip() and not data.get("new_purpose_label", "").strip():
            self.add_error("new_purpose_label", _("Geef het nieuwe doel een naam."))
        return data

    def purpose_rows(self):
        return [
            (p, self[f"purpose_{p['code']}_label"], self[f"purpose_{p['code']}_explanation"])
            for p in (self.current.purposes if self.current else [])
        ]

    def medium_rows(self):
        return [(m, self[f"medium_{m['code']}_label"]) for m in (self.current.media if self.current else [])]

    def text(self) -> dict:
        """What services.consent_form_next_draft takes."""
        data = self.cleaned_data
        purposes = self.current.purposes if self.current else []
        media = self.current.media if self.current else []
        return {
            "based_on_version": data.get("based_on_version"),
            "title": data["title"],
            "introduction": data["introduction"],
            "exemptions": data["exemptions"],
            "purposes": [
                {
                    "code": p["code"],
                    "label": data[f"purpose_{p['code']}_label"],
                    "explanation": data[f"purpose_{p['code']}_explanation"],
                }
                for p in purposes
            ],
            "media": [{"code": m["code"], "label": data[f"medium_{m['code']}_label"]} for m in media],
            "new_purpose": {"label": data["new_purpose_label"], "explanation": data["new_purpose_explanation"]},
            "new_medium": data["new_medium_label"],
        }


class PublicationFilterForm(forms.Form):
    """Filters of the publications page (GET): every field may stay empty."""

    school = forms.ModelChoiceField(
        label=_("School"), queryset=School.objects.none(), required=False, empty_label=_("Alle scholen")
    )
    group = forms.ModelChoiceField(label=_("Groep"), queryset=None, required=False, empty_label=_("Alle groepen"))
    purpose = forms.ChoiceField(label=_("Waar"), required=False)
    medium = forms.ChoiceField(label=_("Soort"), required=False)
    published_from = forms.DateField(
        label=_("Gepubliceerd vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    published_until = forms.DateField(
        label=_("Gepubliceerd tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    person = forms.CharField(
        label=_("Wie staat erop?"), required=False, max_length=100, help_text=_("Een (deel van een) naam.")
    )
    open_takedown = forms.BooleanField(label=_("Alleen met een openstaande verwijdertaak"), required=False)

    def __init__(self, *args, schools, consent_form: ConsentForm | None, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import Group

        self.fields["school"].queryset = schools.order_by("name")
        if len(self.fields["school"].queryset) < 2:
            del self.fields["school"]
        self.fields["group"].queryset = (
            Group.objects.filter(school__in=schools)
            .select_related("school")
            .order_by("school__name", "-school_year", "grade", "name")
        )
        self.fields["group"].label_from_instance = lambda group: f"{group} ({group.school_year}), {group.school.name}"
        purposes = consent_form.purposes if consent_form else []
        media = consent_form.media if consent_form else []
        self.fields["purpose"].choices = [("", _("Overal"))] + [(p["code"], p["label"]) for p in purposes]
        self.fields["medium"].choices = [("", _("Alles"))] + [(m["code"], m["label"]) for m in media]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_until")
        if start and end and start > end:
            self.add_error("published_until", _("Deze datum ligt vóór de datum ‘vanaf’."))
        return cleaned

    def filters(self) -> dict:
        """The valid filters, as selectors.publications_for takes them."""
        if not self.is_bound or not self.is_valid():
            data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        else:
            data = self.cleaned_data
        return {name: value for name, value in data.items() if value not in (None, "", False)}
