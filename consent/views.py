from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Pupil, User
from common.access import personal_page, private_view
from common.exports import csv_download
from common.links import link_token, link_token_keep
from common.refusals import ActionRefused, refusal_as_message, refusal_on_form

from . import access, selectors, services
from . import campaigns as campaign_services
from .constants import Method
from .extensions import group_extensions
from .forms import (
    CampaignStartForm,
    ConsentAnswersForm,
    ConsentRoundForm,
    FormTranslationForm,
    NextFormVersionForm,
    PaperConsentForm,
    PhotoCheckForm,
    PublicationFilterForm,
    PupilInviteForm,
    ShownTextForm,
)
from .scans import scan_content_type, scan_read


def _pupil_for(user, pk: int) -> Pupil:
    """A pupil this user may decide for or about: own child, or themselves."""
    pupil = selectors.pupils_decidable_by(user=user).filter(pk=pk).first()
    if pupil is None:
        raise Http404
    return pupil


def _answers_equal(form_version, first: dict, second: dict) -> bool:
    return all(
        bool(first.get(p, {}).get(m, False)) == bool(second.get(p, {}).get(m, False))
        for p in form_version.purpose_codes
        for m in form_version.medium_codes
    )


def _and_list(names: list[str]) -> str:
    """ "Noor", "Noor en Sem", "Noor, Sem en Bram"."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s en %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _posted_seen(request, key: str) -> int:
    value = request.POST.get(f"{key}-seen", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else 0


def _cards_page(request, *, decider, method: str, template: str, context: dict, done_url: str, record_unchanged=False):
    """The consent page of ``decider`` (logged in, or a campaign link's recipient): every card of the
    page in one form, so no tick is ever lost (protocol A.5).

    "Keuzes opslaan" saves all cards at once, or none. "Intrekken" on one card withdraws that card only;
    ticks changed on the other cards are kept on the page, with a warning that they are not saved yet.

    The form's text is the one in the reader's language (selectors.consent_form_text); the page sends
    which text it showed (ShownTextForm), and every decision and withdrawal records that text. A text
    changed after the page opened saves nothing and shows the new text with the ticks as sent.
    """
    form_version = selectors.consent_form_current()
    language = selectors.reader_language()
    text = selectors.consent_form_text(form_version, language) if form_version else None
    cards = selectors.consent_cards_for(user=decider, form=text)
    kept: set[str] = set()  # cards shown with the ticks as sent, not as saved
    keep_posted_seen = False
    status = 200
    if request.method == "POST" and form_version is not None:
        # Only the cards that were on the page that was sent (a child added since is not answered unseen).
        deciding = [c for c in cards if c.may_decide and f"{c.key}-seen" in request.POST]
        posted = {c.key: ConsentAnswersForm(request.POST, consent_form=form_version, prefix=c.key) for c in deciding}
        answers = {key: form.answers() for key, form in posted.items() if form.is_valid()}
        shown = ShownTextForm(request.POST)
        shown.is_valid()  # always valid: both fields are optional, an unknown language is Dutch
        withdraw = request.POST.get("withdraw", "")
        if withdraw:
            card = next((c for c in deciding if c.key == withdraw), None)
            if card is None:
                raise Http404
            with refusal_as_message(request):
                services.consent_withdraw(
                    decided_by=decider,
                    method=method,
                    pupil=card.pupil,
                    staff_member=None if card.pupil else decider,
                    # Recorded on the text the page showed, like a decision.
                    language=shown.cleaned_data["text_language"],
                )
                messages.success(
                    request,
                    _("De toestemming voor %(name)s is ingetrokken. Dit geldt meteen.")
                    % {"name": card.first_name or card.name},
                )
            pending = [
                c
                for c in deciding
                if c.key != withdraw and not _answers_equal(form_version, answers.get(c.key, {}), c.own_answers)
            ]
            if not pending:
                return redirect(done_url)
            kept = {c.key for c in pending}
            keep_posted_seen = True
            messages.warning(
                request,
                _(
                    "Let op: uw wijzigingen voor %(names)s zijn nog niet opgeslagen. "
                    "Ze staan hieronder nog aangevinkt; kies “Keuzes opslaan” om ze te bewaren."
                )
                % {"names": _and_list([c.first_name or c.name for c in pending])},
            )
        elif refused := [c for c in cards if not c.may_decide and f"{c.key}-seen" in request.POST]:
            # A card that was on the page but may no longer be decided here (a child turned 16 meanwhile).
            messages.error(
                request,
                _("Er is niets opgeslagen. %(reason)s") % {"reason": " ".join(c.reason for c in refused)},
            )
            kept, keep_posted_seen, status = {c.key for c in deciding}, True, 400
        else:
            choices = [
                services.CardChoice(
                    subject=c.pupil or decider, answers=answers.get(c.key, {}), seen=_posted_seen(request, c.key)
                )
                for c in deciding
            ]
            try:
                outcome = services.consent_decide_many(
                    decided_by=decider,
                    form=form_version,
                    choices=choices,
                    method=method,
                    record_unchanged=record_unchanged,
                    **shown.text_shown(),
                )
            except ActionRefused as refused:
                messages.error(request, _("Er is niets opgeslagen. %(reason)s") % {"reason": refused.message})
                kept, keep_posted_seen, status = {c.key for c in deciding}, True, 400
            else:
                if outcome.is_saved:
                    if outcome.saved:
                        messages.success(
                            request,
                            _("Opgeslagen voor %(names)s. U ontvangt een bevestiging per e-mail.")
                            % {"names": _and_list([_saved_name(d) for d in outcome.saved])},
                        )
                    if outcome.unchanged:
                        messages.info(
                            request,
                            _("Niets veranderd voor %(names)s; daar geldt uw eerdere keuze nog.")
                            % {"names": _and_list(outcome.unchanged)},
                        )
                    return redirect(done_url)
                if outcome.text_changed:
                    messages.warning(
                        request,
                        _(
                            "Er is niets opgeslagen: de tekst van het formulier is veranderd nadat u de pagina "
                            "opende. Hieronder staat de tekst zoals die nu is en staan uw vinkjes nog zoals u ze "
                            "zette. Lees de tekst, kijk uw vinkjes na en kies opnieuw “Keuzes opslaan”."
                        ),
                    )
                    kept, status = {c.key for c in deciding}, 409
                else:
                    messages.warning(
                        request,
                        _(
                            "Er is niets opgeslagen: de keuze voor %(names)s is intussen ergens anders gewijzigd "
                            "(misschien in een ander venster). Hieronder ziet u wat nu geldt en staan uw vinkjes "
                            "nog zoals u ze zette. Kijk ze na en kies opnieuw “Keuzes opslaan”."
                        )
                        % {"names": _and_list(outcome.changed_elsewhere)},
                    )
                    kept, status = {c.key for c in deciding}, 409
        if kept:
            cards = selectors.consent_cards_for(user=decider, form=text)
    for card in cards:
        if not card.may_decide or text is None:
            continue
        bound = card.key in kept
        card.form = ConsentAnswersForm(
            request.POST if bound else None,
            consent_form=text,
            current=card.own_answers,
            reader_language=language,
            prefix=card.key,
        )
        card.form.overruled = card.overruled
        if bound:
            card.form.is_valid()
            card.unsaved = True
            if keep_posted_seen:
                card.seen = _posted_seen(request, card.key)
    page = {
        "cards": cards,
        "consent_form": text,
        "reader_language": language,
        "action": request.path,
        "deciding_any": any(card.form is not None for card in cards),
        **context,
    }
    return render(request, template, page, status=status)


def _saved_name(decision) -> str:
    return decision.pupil.first_name if decision.pupil_id else _("uzelf")


@private_view
@require_http_methods(["GET", "POST"])
def overview(request):
    """Own children (or self): current answers, one form to change them all, withdrawal, history."""
    return _cards_page(
        request,
        decider=request.user,
        method=Method.LOGGED_IN,
        template="consent/overview.html",
        context={"show_history": True},
        done_url=reverse("consent:overview"),
    )


def _decide(request, *, pupil=None, staff_member=None):
    form_version = selectors.consent_form_current()
    if form_version is None:
        raise Http404
    form = ConsentAnswersForm(request.POST, consent_form=form_version)
    if form.is_valid():
        with refusal_as_message(request):
            services.consent_decide(
                decided_by=request.user,
                form=form_version,
                answers=form.answers(),
                method=Method.LOGGED_IN,
                pupil=pupil,
                staff_member=staff_member,
                **form.text_shown(),
            )
            messages.success(request, _("Uw keuze is opgeslagen. U ontvangt een bevestiging per e-mail."))
    return redirect("consent:overview")


@private_view
@require_POST
def decide_pupil(request, pk: int):
    return _decide(request, pupil=_pupil_for(request.user, pk))


@private_view
@require_POST
def decide_self(request):
    if not access.decides_own_consent_as_staff(request.user):
        raise Http404
    return _decide(request, staff_member=request.user)


@private_view
@require_POST
def withdraw_pupil(request, pk: int):
    return _withdraw(request, pupil=_pupil_for(request.user, pk))


@private_view
@require_POST
def withdraw_self(request):
    if not access.decides_own_consent_as_staff(request.user):
        raise Http404
    return _withdraw(request, staff_member=request.user)


def _withdraw(request, *, pupil=None, staff_member=None):
    shown = ShownTextForm(request.POST)
    # A withdrawal is recorded on the text of the reader's language, like a decision.
    language = shown.cleaned_data["text_language"] if shown.is_valid() else selectors.reader_language()
    with refusal_as_message(request):
        services.consent_withdraw(
            decided_by=request.user,
            method=Method.LOGGED_IN,
            pupil=pupil,
            staff_member=staff_member,
            language=language,
        )
        messages.success(request, _("Uw toestemming is ingetrokken. Dit geldt meteen."))
    return redirect("consent:overview")


@private_view
def proof(request, pk: int):
    """A printable proof of one decision: who, when, on what basis, the text shown, the answers."""
    decision = selectors.decision_visible_to(user=request.user, pk=pk)
    if decision is None:
        raise Http404
    signed = selectors.consent_decision_text(decision)
    # The answers in the reader's words; the text as shown in the language it was shown in.
    reader = selectors.consent_form_text(decision.form)
    rows = [(p["label"], [decision.allows(p["code"], m["code"]) for m in reader.media]) for p in reader.purposes]
    # Protocol A.5 may have changed since: each answer shows the text it was given to.
    history = selectors.consent_decision_history(user=request.user, decision=decision)
    article_texts = selectors.consent_article_texts([decision, *history])
    for item in history:
        item.article_text = article_texts[item.pk]
    return render(
        request,
        "consent/proof.html",
        {
            "decision": decision,
            "article_text": article_texts[decision.pk],
            "history": history,
            "form": reader,
            "answer_rows": rows,
            "signed_text": signed,
            "signed_language": dict(settings.LANGUAGES).get(decision.language, decision.language),
            "text_matches": signed.sha256 == decision.text_sha256,
        },
    )


@private_view
def scan(request, pk: int):
    """The scan of a paper form, for whoever may see the decision; never cached, never inline-sniffed."""
    decision = selectors.decision_visible_to(user=request.user, pk=pk)
    content = scan_read(decision.scan_name) if decision is not None and decision.scan_name else None
    if content is None:
        raise Http404
    response = FileResponse(
        io.BytesIO(content),
        content_type=scan_content_type(decision.scan_name),
        as_attachment=True,
        filename=f"toestemming-{decision.pk}-scan.{decision.scan_name.rpartition('.')[2]}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@private_view
@require_http_methods(["GET", "POST"])
def paper_pupil(request, pk: int):
    """Staff enter a signed paper form for a pupil of a group they may see, with its scan."""
    pupil = selectors.pupils_for_paper_entry(user=request.user).select_related("group", "school").filter(pk=pk).first()
    form_version = selectors.consent_form_current()
    if pupil is None or form_version is None:
        raise Http404
    signers = selectors.paper_signers_for(pupil)
    languages = selectors.consent_form_languages(form_version)
    form = PaperConsentForm(
        request.POST or None, request.FILES or None, consent_form=form_version, signers=signers, languages=languages
    )
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            decision = services.consent_paper_record(
                recorded_by=request.user,
                signed_by=User.objects.get(pk=form.cleaned_data["signed_by"]),
                answers=form.answers(),
                signed_on=form.cleaned_data["signed_on"],
                scan=form.cleaned_data["scan"],
                pupil=pupil,
                language=form.cleaned_data["text_language"],
            )
            messages.success(
                request,
                _("Het papieren formulier voor %(name)s is opgeslagen met de scan.") % {"name": pupil.full_name},
            )
            return redirect("consent:proof", pk=decision.pk)
    if request.method == "POST" and form.errors and "scan" not in form.errors:
        # Browsers never keep a chosen file after a failed submit; say so instead of losing it silently.
        form.add_error("scan", _("Kies de scan opnieuw: een browser bewaart een gekozen bestand niet."))
    return render(
        request,
        "consent/paper.html",
        {"pupil": pupil, "form": form, "consent_form": form_version, "signers": signers, "languages": languages},
    )


# The form's texts in other languages (board, functional admin) -------------------------------------


def _translation_languages() -> dict[str, str]:
    return {code: name for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE}


@private_view
def form_texts(request):
    """Every form version with its Dutch title and the state of each translation."""
    if not access.may_maintain_form_texts(request.user):
        raise Http404
    versions = list(selectors.consent_form_texts_for_maintenance())
    languages = _translation_languages()
    rows = [
        (
            version,
            [
                (code, name, next((t for t in version.translations.all() if t.language == code), None))
                for code, name in languages.items()
            ],
        )
        for version in versions
    ]
    return render(request, "consent/form_texts.html", {"rows": rows})


@private_view
@require_http_methods(["GET", "POST"])
def form_translation(request, version: int, language: str):
    """The text of one form version in one language, beside the Dutch; frozen once anyone decided on it."""
    languages = _translation_languages()
    consent_form = selectors.consent_form_texts_for_maintenance().filter(version=version).first()
    if not access.may_maintain_form_texts(request.user) or consent_form is None or language not in languages:
        raise Http404
    translation_row = next((t for t in consent_form.translations.all() if t.language == language), None)
    current = consent_form.text_in(language, translation_row)
    based_on = current.sha256 if translation_row is not None else ""
    initial = {**FormTranslationForm.initial_from(current), "based_on": based_on} if translation_row else {}
    form = FormTranslationForm(request.POST or None, form=consent_form, initial=initial)
    is_signed = bool(translation_row and translation_row.is_signed)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            services.consent_form_translation_save(form=consent_form, language=language, by=request.user, **form.text())
            messages.success(
                request,
                _("De tekst in het %(language)s van formulierversie %(version)s is opgeslagen.")
                % {"language": languages[language], "version": version},
            )
            return redirect("consent:form_texts")
    return render(
        request,
        "consent/form_translation.html",
        {
            "consent_form": consent_form,
            "form": form,
            "language": language,
            "language_name": languages[language],
            "translation": translation_row,
            "is_signed": is_signed,
            "text": current if translation_row else None,
        },
    )


@private_view
@require_http_methods(["GET", "POST"])
def form_next(request):
    """The next version of the consent form: the current one's words to change, a purpose or medium to
    add, a preview, and publishing with a confirmation (protocol A.5: asking something new offers
    every school a new round)."""
    if not access.may_maintain_form_texts(request.user):
        raise Http404
    current = selectors.consent_form_current()
    data = request.POST.copy() if request.method == "POST" else None
    form = NextFormVersionForm(data, current=current, initial=NextFormVersionForm.initial_from(current))
    draft = None
    status = 200
    if request.method == "POST":
        status = 400
        publishing = request.POST.get("action") == "publish"
        if form.is_valid():
            with refusal_on_form(form):
                if publishing and form.cleaned_data["confirm"]:
                    published = services.consent_form_next_publish(
                        by=request.user, previewed_sha256=form.cleaned_data["previewed"], **form.text()
                    )
                    if published.asks_something_new:
                        message = _(
                            "Versie %(version)s van het formulier is gepubliceerd. Omdat zij iets nieuws vraagt, "
                            "krijgt elke school een nieuwe ronde aangeboden."
                        )
                    else:
                        message = _(
                            "Versie %(version)s van het formulier is gepubliceerd. Zij vraagt niets nieuws: "
                            "er komt geen nieuwe ronde."
                        )
                    messages.success(request, message % {"version": published.form.version})
                    return redirect("consent:form_texts")
                draft = services.consent_form_next_draft(by=request.user, **form.text())
                if publishing:
                    form.add_error("confirm", _("Vink aan dat u het voorbeeld hebt gelezen en wilt publiceren."))
            if draft is None and publishing and form.non_field_errors():
                # Publishing was refused (the text changed since the preview, say): preview it again.
                try:
                    draft = services.consent_form_next_draft(by=request.user, **form.text())
                except (ActionRefused, ValidationError):
                    draft = None
            if draft is not None:
                # The page again, with the preview of exactly this text and the box not yet ticked.
                errors = form.errors.copy()
                data["previewed"] = draft.sha256
                data["confirm"] = ""
                form = NextFormVersionForm(data, current=current)
                form.is_valid()
                form._errors.update(errors)
                status = 400 if errors else 200
    return render(request, "consent/form_next.html", {"form": form, "current": current, "draft": draft}, status=status)


# Campaigns -----------------------------------------------------------------------------------------


@private_view
def campaigns(request):
    """Leaders: the campaigns of their schools, starting this year's, and a new round when consent's
    text changed (protocol A.5)."""
    schools = access.campaign_schools_for(user=request.user)
    if not schools:
        raise Http404
    is_round = request.method == "POST" and "text_change" in request.POST
    form = CampaignStartForm(request.POST if request.method == "POST" and not is_round else None, schools=schools)
    if request.method == "POST" and not is_round and form.is_valid():
        with refusal_on_form(form):
            campaign = campaign_services.consent_campaign_start(
                school=form.cleaned_data["school"],
                school_year=form.cleaned_data["school_year"],
                started_by=request.user,
            )
            messages.success(request, _("De campagne is gestart. De uitnodigingen worden nu verstuurd."))
            return redirect("consent:campaign", pk=campaign.pk)
    if is_round:
        round_form = ConsentRoundForm(request.POST, schools=schools)
        offered = {
            (school.pk, change.pk): change
            for school, change in campaign_services.consent_rounds_offered(user=request.user)
        }
        if not round_form.is_valid():
            raise Http404
        change = offered.get((round_form.cleaned_data["school"].pk, round_form.cleaned_data["text_change"]))
        if change is None:
            messages.error(request, _("Deze nieuwe ronde is al gestart of bestaat niet meer."))
            return redirect("consent:campaigns")
        with refusal_as_message(request):
            campaign = campaign_services.consent_round_start(
                school=round_form.cleaned_data["school"], text_change=change, started_by=request.user
            )
            messages.success(request, _("De nieuwe ronde is gestart. De uitnodigingen worden nu verstuurd."))
            return redirect("consent:campaign", pk=campaign.pk)
        return redirect("consent:campaigns")
    return render(
        request,
        "consent/campaigns.html",
        {
            "form": form,
            "campaigns": selectors.campaigns_visible_to(user=request.user),
            "rounds_offered": campaign_services.consent_rounds_offered(user=request.user),
        },
    )


@private_view
def campaign_detail(request, pk: int):
    campaign = selectors.campaigns_visible_to(user=request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return render(request, "consent/campaign_detail.html", selectors.campaign_dashboard(campaign=campaign))


@private_view
@require_POST
def campaign_remind(request, pk: int, group_pk: int):
    """A leader's "herinner nu" for one group: through the queue, never twice within a day."""
    from accounts.models import Group

    campaign = selectors.campaigns_visible_to(user=request.user).filter(pk=pk).first()
    group = Group.objects.filter(pk=group_pk).first()
    if campaign is None or group is None:
        raise Http404
    with refusal_as_message(request):
        count = campaign_services.consent_campaign_remind_group(campaign=campaign, group=group, by=request.user)
        messages.success(
            request,
            ngettext(
                "Herinnering voor %(group)s verstuurd aan %(count)d persoon.",
                "Herinnering voor %(group)s verstuurd aan %(count)d personen.",
                count,
            )
            % {"group": group, "count": count},
        )
    return redirect(f"{reverse('consent:campaign', args=[campaign.pk])}#group-{group.pk}")


INVITATION_COOKIE = "skow_consent_invitation"


@require_GET
def invitation_link(request, token: str):
    """The e-mailed campaign link: its secret goes into a cookie for the next page, out of the URL."""
    return link_token_keep(token, cookie=INVITATION_COOKIE, to=reverse("consent:invitation"))


@personal_page
@require_http_methods(["GET", "POST"])
def invitation(request):
    """The campaign link: no account needed; the recipient's own children (or self), the same page as
    /consent/. It works until the end of the school year: change and withdraw as easily as giving
    (AVG art. 7(3)). A link that is unknown or expired is refused with a page of its own (410)."""
    token = link_token(request, INVITATION_COOKIE)
    invite = campaign_services.invitation_for_token(token)
    if request.method == "POST":
        campaign_services.invitation_mark_used(invite)
    return _cards_page(
        request,
        decider=invite.recipient,
        method=Method.LINK,
        template="consent/invitation.html",
        context={"invitation": invite},
        done_url=reverse("consent:invitation"),
        record_unchanged=True,
    )


# Pupils of 16 and older --------------------------------------------------------------------------------


def _sixteen_page(request, *, invite_forms: dict | None = None, status: int = 200):
    if not access.campaign_schools_for(user=request.user).exists():
        raise Http404
    pupils = list(selectors.pupils_of_sixteen_for(user=request.user))
    invite_forms = invite_forms or {}
    for pupil in pupils:
        pupil.invite_form = invite_forms.get(pupil.pk) or PupilInviteForm(prefix=f"p{pupil.pk}")
    return render(request, "consent/pupils_of_sixteen.html", {"pupils": pupils}, status=status)


@private_view
def pupils_of_sixteen(request):
    """Leaders and the board: pupils of 16+, whether each decides already, and an invitation for those
    who cannot yet (no login): protocol A.5, AVG art. 8."""
    return _sixteen_page(request)


@private_view
@require_POST
def pupil_invite(request, pk: int):
    pupil = selectors.pupils_of_sixteen_for(user=request.user).filter(pk=pk).first()
    if pupil is None:
        raise Http404
    form = PupilInviteForm(request.POST, prefix=f"p{pupil.pk}")
    if form.is_valid():
        with refusal_on_form(form, field="email"):
            campaign_services.consent_pupil_invite(pupil=pupil, by=request.user, email=form.cleaned_data["email"])
            messages.success(
                request,
                _("%(name)s is uitgenodigd om zelf te kiezen. De ouders/verzorgers krijgen daarvan bericht.")
                % {"name": pupil.full_name},
            )
            return redirect("consent:pupils_of_sixteen")
    return _sixteen_page(request, invite_forms={pupil.pk: form}, status=400)


# For staff -----------------------------------------------------------------------------------------


def _staff_group(user, pk: int):
    group = selectors.groups_for_staff(user=user).filter(pk=pk).first()
    if group is None:
        raise Http404
    return group


@private_view
def groups(request):
    staff_groups = list(selectors.groups_for_staff(user=request.user).order_by("school__name", "grade", "name"))
    if not staff_groups and not access.may_check_photos(request.user):
        raise Http404
    return render(request, "consent/groups.html", {"groups": staff_groups})


@private_view
def group_overview(request, pk: int):
    group = _staff_group(request.user, pk)
    form_version = selectors.consent_form_current()
    if form_version is None:
        raise Http404
    rows = selectors.group_overview(group=group, form=form_version)
    links = group_extensions.links_for(user=request.user, group=group)
    return render(
        request,
        "consent/group_overview.html",
        {"group": group, "consent_form": form_version, "rows": rows, "group_links": links},
    )


def _photo_check_groups(request, group) -> tuple[list, list]:
    """The groups whose pupils this photo check offers (``?groups=`` ids, or ``all``; the group it
    started from is always in), and every group it could add (access.groups_for_photo_check)."""
    choosable = list(access.groups_for_photo_check(user=request.user, group=group).order_by("grade", "name"))
    asked = request.GET.getlist("groups")
    if "all" in asked:
        return choosable, choosable
    asked_ids = {int(value) for value in asked if value.isascii() and value.isdigit() and len(value) < 12}
    chosen = [g for g in choosable if g.pk == group.pk or g.pk in asked_ids]
    return chosen or [group], choosable


@private_view
@require_http_methods(["GET", "POST"])
def photo_check(request, pk: int):
    """May this picture be published? Pupils of the group, and of more groups for a school trip or a
    whole-school photo; a yes can be recorded as a publication (with the consents of that moment)."""
    group = _staff_group(request.user, pk)
    form_version = selectors.consent_form_current()
    if form_version is None:
        raise Http404
    chosen_groups, choosable_groups = _photo_check_groups(request, group)
    form = PhotoCheckForm(
        request.POST if request.method == "POST" else None,
        group=group,
        groups=chosen_groups,
        consent_form=form_version,
    )
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "publish" in request.POST:
            if not data["description"]:
                form.add_error("description", _("Geef een korte omschrijving, zodat de publicatie terug te vinden is."))
            else:
                with refusal_on_form(form):
                    services.publication_record(
                        created_by=request.user,
                        group=group,
                        pupils=list(data["pupils"]),
                        staff=list(data["staff"]),
                        purpose=data["purpose"],
                        medium=data["medium"],
                        description=data["description"],
                    )
                    messages.success(request, _("De publicatie is vastgelegd met de toestemmingen van dit moment."))
                    return redirect(request.get_full_path())
        result = selectors.photo_check(
            pupils=Pupil.objects.filter(pk__in=[p.pk for p in data["pupils"]]),
            staff=User.objects.filter(pk__in=[u.pk for u in data["staff"]]),
            purpose=data["purpose"],
            medium=data["medium"],
        )
    chosen_ids = {g.pk for g in chosen_groups}
    return render(
        request,
        "consent/photo_check.html",
        {
            "group": group,
            "form": form,
            "result": result,
            "choosable_groups": [(g, g.pk in chosen_ids) for g in choosable_groups],
            "is_multi_group": len(chosen_groups) > 1,
        },
    )


TAKEDOWNS_DONE_SHOWN = 50
PUBLICATIONS_PER_PAGE = 25


def _label_channels(publications, form_version=None) -> None:
    """Give each publication the labels of its purpose and medium from the current form (a
    publication keeps the codes)."""
    form_version = form_version or selectors.consent_form_current()
    purposes = {p["code"]: p["label"] for p in form_version.purposes} if form_version else {}
    media = {m["code"]: m["label"] for m in form_version.media} if form_version else {}
    for publication in publications:
        publication.purpose_label = purposes.get(publication.purpose, publication.purpose)
        publication.medium_label = media.get(publication.medium, publication.medium)


@private_view
def takedowns(request):
    """Open takedown tasks, the most overdue first, then the latest done: a publisher's own, and a
    leader's of every publication of their schools."""
    from django.utils import timezone

    tasks = selectors.takedown_tasks_for(user=request.user)
    led_school_ids = set(access.publication_schools_for(user=request.user).values_list("pk", flat=True))
    open_tasks = list(tasks.filter(done_at__isnull=True))
    done_tasks = list(tasks.filter(done_at__isnull=False)[:TAKEDOWNS_DONE_SHOWN])
    now = timezone.now()
    for task in (*open_tasks, *done_tasks):
        task.is_overdue = task.done_at is None and task.due_at < now
        task.may_confirm = access.may_confirm_takedown(user=request.user, task=task, led_school_ids=led_school_ids)
    _label_channels([task.publication for task in (*open_tasks, *done_tasks)])
    return render(
        request,
        "consent/takedowns.html",
        {
            "open_tasks": open_tasks,
            "done_tasks": done_tasks,
            "overdue_count": sum(task.is_overdue for task in open_tasks),
            "leads": bool(led_school_ids),
        },
    )


@private_view
@require_POST
def takedown_done(request, pk: int):
    task = selectors.takedown_tasks_for(user=request.user).filter(pk=pk).first()
    if task is None:
        raise Http404
    with refusal_as_message(request):
        services.takedown_confirm(task=task, by=request.user)
        messages.success(request, _("Bevestigd: de publicatie is verwijderd."))
    return redirect("consent:takedowns")


@private_view
def publications(request):
    """Leaders: the recorded publications of their schools (where, when, who is in them), filtered."""
    from django.core.paginator import Paginator

    schools = access.publication_schools_for(user=request.user)
    if not schools.exists():
        raise Http404
    form_version = selectors.consent_form_current()
    form = PublicationFilterForm(request.GET or None, schools=schools, consent_form=form_version)
    page = Paginator(selectors.publications_for(user=request.user, **form.filters()), PUBLICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    _label_channels(list(page), form_version)
    return render(request, "consent/publications.html", {"form": form, "page": page})


@private_view
def school_export(request, pk: int):
    """CSV of the current consent of every pupil of a school (leaders and board)."""
    school = access.campaign_schools_for(user=request.user).filter(pk=pk).first()
    form_version = selectors.consent_form_current()
    if school is None or form_version is None:
        raise Http404
    columns = [(p, m) for p in form_version.purposes for m in form_version.media]
    header = [_("Leerlingnummer"), _("Naam"), _("Groep"), _("Besloten door")] + [
        f"{p['label']}: {m['label']}" for p, m in columns
    ]
    rows = (
        [
            pupil.student_number,
            pupil.full_name,
            pupil.group.name if pupil.group else "",
            ", ".join(str(d.decided_by) for d in consent.counting),
        ]
        + [_("ja") if consent.allows(p["code"], m["code"]) else _("nee") for p, m in columns]
        for pupil, consent in selectors.consent_by_pupil(Pupil.objects.filter(school=school).select_related("group"))
    )
    return csv_download(filename=f"toestemming-{school.brin}.csv", rows=[header, *rows])
