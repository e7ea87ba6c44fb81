from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Pupil, User
from common.access import personal_page, private_view
from common.exports import csv_download
from common.links import link_token, link_token_keep
from common.refusals import ActionRefused, refusal_as_message, refusal_on_form

from . import access, selectors, services
from . import campaigns as campaign_services
from .constants import Method
from .forms import CampaignStartForm, ConsentAnswersForm, PaperConsentForm, PhotoCheckForm, PupilInviteForm
from .scans import scan_content_type, scan_path


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
    """
    form_version = selectors.consent_form_current()
    cards = selectors.consent_cards_for(user=decider, form=form_version)
    kept: set[str] = set()  # cards shown with the ticks as sent, not as saved
    keep_posted_seen = False
    status = 200
    if request.method == "POST" and form_version is not None:
        # Only the cards that were on the page that was sent (a child added since is not answered unseen).
        deciding = [c for c in cards if c.may_decide and f"{c.key}-seen" in request.POST]
        posted = {c.key: ConsentAnswersForm(request.POST, consent_form=form_version, prefix=c.key) for c in deciding}
        answers = {key: form.answers() for key, form in posted.items() if form.is_valid()}
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
                messages.warning(
                    request,
                    _(
                        "Er is niets opgeslagen: de keuze voor %(names)s is intussen ergens anders gewijzigd "
                        "(misschien in een ander venster). Hieronder ziet u wat nu geldt en staan uw vinkjes nog "
                        "zoals u ze zette. Kijk ze na en kies opnieuw “Keuzes opslaan”."
                    )
                    % {"names": _and_list(outcome.changed_elsewhere)},
                )
                kept, status = {c.key for c in deciding}, 409
        if kept:
            cards = selectors.consent_cards_for(user=decider, form=form_version)
    for card in cards:
        if not card.may_decide or form_version is None:
            continue
        bound = card.key in kept
        card.form = ConsentAnswersForm(
            request.POST if bound else None, consent_form=form_version, current=card.own_answers, prefix=card.key
        )
        card.form.overruled = card.overruled
        if bound:
            card.form.is_valid()
            card.unsaved = True
            if keep_posted_seen:
                card.seen = _posted_seen(request, card.key)
    page = {
        "cards": cards,
        "consent_form": form_version,
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
    with refusal_as_message(request):
        services.consent_withdraw(
            decided_by=request.user, method=Method.LOGGED_IN, pupil=pupil, staff_member=staff_member
        )
        messages.success(request, _("Uw toestemming is ingetrokken. Dit geldt meteen."))
    return redirect("consent:overview")


@private_view
def proof(request, pk: int):
    """A printable proof of one decision: who, when, on what basis, the text shown, the answers."""
    decision = selectors.decision_visible_to(user=request.user, pk=pk)
    if decision is None:
        raise Http404
    return render(request, "consent/proof.html", {"decision": decision, "form": decision.form})


@private_view
def scan(request, pk: int):
    """The scan of a paper form, for whoever may see the decision; never cached, never inline-sniffed."""
    decision = selectors.decision_visible_to(user=request.user, pk=pk)
    path = scan_path(decision.scan_name) if decision is not None and decision.scan_name else None
    if path is None:
        raise Http404
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 — FileResponse closes it
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
    form = PaperConsentForm(request.POST or None, request.FILES or None, consent_form=form_version, signers=signers)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            decision = services.consent_paper_record(
                recorded_by=request.user,
                signed_by=User.objects.get(pk=form.cleaned_data["signed_by"]),
                answers=form.answers(),
                signed_on=form.cleaned_data["signed_on"],
                scan=form.cleaned_data["scan"],
                pupil=pupil,
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
        {"pupil": pupil, "form": form, "consent_form": form_version, "signers": signers},
    )


# Campaigns -----------------------------------------------------------------------------------------


@private_view
def campaigns(request):
    """Leaders: the campaigns of their schools, and starting this year's."""
    schools = access.campaign_schools_for(user=request.user)
    if not schools:
        raise Http404
    form = CampaignStartForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form):
            campaign = campaign_services.consent_campaign_start(
                school=form.cleaned_data["school"],
                school_year=form.cleaned_data["school_year"],
                started_by=request.user,
            )
            messages.success(request, _("De campagne is gestart. De uitnodigingen worden nu verstuurd."))
            return redirect("consent:campaign", pk=campaign.pk)
    return render(
        request,
        "consent/campaigns.html",
        {"form": form, "campaigns": selectors.campaigns_visible_to(user=request.user)},
    )


@private_view
def campaign_detail(request, pk: int):
    campaign = selectors.campaigns_visible_to(user=request.user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return render(request, "consent/campaign_detail.html", selectors.campaign_dashboard(campaign=campaign))


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
    return render(request, "consent/group_overview.html", {"group": group, "consent_form": form_version, "rows": rows})


@private_view
@require_http_methods(["GET", "POST"])
def photo_check(request, pk: int):
    group = _staff_group(request.user, pk)
    form_version = selectors.consent_form_current()
    if form_version is None:
        raise Http404
    form = PhotoCheckForm(request.POST if request.method == "POST" else None, group=group, consent_form=form_version)
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
                    return redirect("consent:photo_check", pk=group.pk)
        result = selectors.photo_check(
            pupils=Pupil.objects.filter(pk__in=[p.pk for p in data["pupils"]]),
            staff=User.objects.filter(pk__in=[u.pk for u in data["staff"]]),
            purpose=data["purpose"],
            medium=data["medium"],
        )
    return render(request, "consent/photo_check.html", {"group": group, "form": form, "result": result})


@private_view
def takedowns(request):
    return render(request, "consent/takedowns.html", {"tasks": selectors.takedown_tasks_for(user=request.user)})


@private_view
@require_POST
def takedown_done(request, pk: int):
    task = selectors.takedown_tasks_for(user=request.user).filter(pk=pk).first()
    if task is None:
        raise Http404
    services.takedown_confirm(task=task, by=request.user)
    messages.success(request, _("Bevestigd: de publicatie is verwijderd."))
    return redirect("consent:takedowns")


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
