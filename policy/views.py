from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_cookie

from common.access import private_view
from common.compression import public_gzip_page
from common.exports import csv_download
from common.refusals import refusal_as_message, refusal_on_form

from . import access, selectors, services
from .articles import diff as diff_blocks
from .articles import document_of, says_older_than_16, three_way
from .constants import DISPUTE_TERM_MONTHS, REMIND_NOW_PAUSE_HOURS, Document, VersionStatus
from .forms import AdoptForm, CouncilDecisionForm, DraftCreateForm, DraftForm, VersionDatesForm
from .models import ProtocolVersion
from .pdf import protocol_pdf


def _version_page(request, version, *, in_force=None, template: str = "policy/version.html"):
    in_force = in_force or selectors.protocol_version_in_force()
    previous = selectors.protocol_versions_public().filter(number__lt=version.number).first()
    return render(
        request,
        template,
        {
            "version": version,
            "document": document_of(version),
            "in_force": in_force,
            "is_in_force": in_force is not None and in_force.pk == version.pk,
            "previous": previous,
            "may_record_dates": version.adopted_before_portal and access.may_record_version_dates(request.user),
            "says_older_than_16": says_older_than_16(version),
        },
    )


# Anonymous visitors all get the same /protocol/ page: Django's cache keeps it in each web process
# (the "public_pages" cache; per language and Cookie header, see cache_page and vary_on_cookie) and a
# proxy or browser may keep it too. A new version in force reaches them within this many seconds;
# whoever adopts it is logged in and sees it at once.
PUBLIC_PAGE_SECONDS = 5 * 60


def _is_personal(request) -> bool:
    """Logged-in users see their own menu and acknowledgement; a visitor with a session or a pending
    message (cookie or session storage) may see something of their own."""
    return request.user.is_authenticated or bool({"messages", settings.SESSION_COOKIE_NAME} & request.COOKIES.keys())


@cache_page(PUBLIC_PAGE_SECONDS, cache="public_pages")
@vary_on_cookie
@public_gzip_page
def current(request):
    """The version in force, for everyone (no login)."""
    version = selectors.protocol_version_in_force()
    if version is None:
        return render(request, "policy/none.html", status=404)
    response = _version_page(request, version, in_force=version)
    # cache_page stores no private response; a public one may also be kept by a proxy or browser.
    patch_cache_control(response, **({"private": True} if _is_personal(request) else {"public": True}))
    return response


def version_detail(request, number: int):
    """Any adopted version; marked when it is not the one in force."""
    version = selectors.protocol_version_public(number=number)
    if version is None:
        raise Http404
    return _version_page(request, version)


def history(request):
    """Every adopted version with its dates and change note, and a form to compare two."""
    versions = list(selectors.protocol_versions_public())
    return render(
        request, "policy/history.html", {"versions": versions, "in_force": selectors.protocol_version_in_force()}
    )


def diff_choose(request):
    """Choose two versions to compare (no JavaScript); a valid choice redirects to the stable diff URL.

    Opened without a choice it is a chooser; a wrong choice shows the chooser again with a message.
    """
    versions = list(selectors.protocol_versions_public().only("number", "status"))
    error = ""
    if "a" in request.GET or "b" in request.GET:
        try:
            a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
        except ValueError:
            a = b = 0
        numbers = {v.number for v in versions}
        if a < 1 or b < 1:  # a version number is 1 or more; the diff URL has no room for a minus sign
            error = _("Kies twee versies om te vergelijken.")
        elif a == b:
            error = _("Kies twee verschillende versies om te vergelijken.")
        elif a not in numbers or b not in numbers:
            error = _("Kies twee versies uit de lijst.")
        else:
            return redirect("policy:diff", a=min(a, b), b=max(a, b))
    return render(
        request,
        "policy/diff_choose.html",
        {
            "versions": versions,
            "error": error,
            "chosen_a": request.GET.get("a", ""),
            "chosen_b": request.GET.get("b", ""),
        },
        status=400 if error else 200,
    )


def diff(request, a: int, b: int):
    """What changed from version ``a`` to version ``b``, per article: added and removed words."""
    old = selectors.protocol_version_public(number=a)
    new = selectors.protocol_version_public(number=b)
    if old is None or new is None:
        raise Http404
    return render(request, "policy/diff.html", {"old": old, "new": new, **_diff_context(old, new, request)})


def _diff_context(old, new, request) -> dict:
    parts = [
        (_("Protocol"), diff_blocks(old.body, new.body)),
        (_("Toelichting"), diff_blocks(old.explanation, new.explanation)),
        (_("Samenvatting voor de schoolgids"), diff_blocks(old.summary_for_parents, new.summary_for_parents)),
    ]
    show_all = request.GET.get("alles") == "1"
    changed = sum(1 for _title, blocks in parts for block in blocks if block.change != "same")
    # A part without a change (or, showing everything, without text) gets no heading of its own.
    parts = [
        (title, blocks)
        for title, blocks in parts
        if any(block.change != "same" for block in blocks) or (show_all and blocks)
    ]
    return {"parts": parts, "show_all": show_all, "changed_count": changed}


def printable(request, number: int):
    version = selectors.protocol_version_public(number=number)
    if version is None:
        raise Http404
    return _version_page(request, version, template="policy/print.html")


def pdf(request, number: int):
    version = selectors.protocol_version_public(number=number)
    if version is None:
        raise Http404
    response = HttpResponse(protocol_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protocol-sociale-media-skow-versie-{version.number}.pdf"'
    return response


# Drafting: board and functional admins write, the (G)MR secretary records, the board adopts ---------


def _draft_or_404(request, pk: int):
    version = selectors.protocol_version_for_drafting(user=request.user, pk=pk)
    if version is None:
        raise Http404
    return version


@private_view
def drafts(request):
    """Versions on their way (drafts, with the (G)MR, adopted but not yet in force, refused)."""
    if not access.may_see_drafts(request.user):
        raise Http404
    return render(
        request,
        "policy/drafts.html",
        {
            "versions": selectors.protocol_versions_in_progress_for(user=request.user),
            "in_force": selectors.protocol_version_in_force(),
            "latest": selectors.protocol_version_latest_adopted(),
            "form": DraftCreateForm() if access.may_draft(request.user) else None,
            "awaiting_dates": selectors.protocol_versions_awaiting_dates()
            if access.may_record_version_dates(request.user)
            else [],
        },
    )


@private_view
@require_POST
def draft_new(request):
    if not access.may_draft(request.user):
        raise Http404
    based_on = None
    raw = request.POST.get("based_on", "")
    if raw:
        # isdigit() alone holds for "²" and "①", which int() refuses: ASCII digits only.
        based_on = _draft_or_404(request, int(raw) if raw.isascii() and raw.isdigit() else 0)
    form = DraftCreateForm(request.POST)
    if form.is_valid():
        document = form.cleaned_data["document"] or Document.PROTOCOL
        with refusal_on_form(form):
            draft = services.protocol_draft_create(
                by=request.user,
                change_note=form.cleaned_data["change_note"],
                based_on=based_on,
                document=document,
            )
            if draft.based_on is None:
                messages.success(request, _("Het concept is aangemaakt vanuit de modeltekst."))
            else:
                messages.success(request, _("Het concept is aangemaakt als kopie van %(v)s.") % {"v": draft.based_on})
            return redirect("policy:draft_edit", pk=draft.pk)
    if based_on is not None:
        return _draft_page(request, based_on, create_form=form, status=400)
    return render(
        request,
        "policy/drafts.html",
        {
            "versions": selectors.protocol_versions_in_progress_for(user=request.user),
            "in_force": selectors.protocol_version_in_force(),
            "form": form,
        },
        status=400,
    )


def _draft_page(request, version, *, council_form=None, adopt_form=None, create_form=None, status=200):
    user = request.user
    S = VersionStatus
    context = {
        "version": version,
        "document": document_of(version),
        "events": list(version.events.all()),
        "changes": [c for c in diff_blocks(version.based_on.body, version.body) if c.change != "same"]
        if version.based_on
        else [],
        "may_edit": version.status == S.DRAFT and access.may_draft(user),
        "may_submit": access.may_take_step(user=user, version=version, to_status=S.SUBMITTED),
        # A form sent back with errors is shown again, whatever the status, so the message is seen.
        "may_record_council": council_form is not None
        or access.may_take_step(user=user, version=version, to_status=S.COUNCIL_CONSENTED),
        "may_adopt": adopt_form is not None or access.may_take_step(user=user, version=version, to_status=S.ADOPTED),
        "may_amend": version.status == S.COUNCIL_REFUSED and access.may_draft(user),
        **_carry_over_context(version, user),
        "council_form": council_form or CouncilDecisionForm(),
        "adopt_form": adopt_form or AdoptForm(),
        "create_form": create_form or DraftCreateForm(),
        # WMS art. 32: three calendar months; from 31 August that is 30 November.
        "dispute_deadline": version.council_decided_on + relativedelta(months=DISPUTE_TERM_MONTHS)
        if version.status == S.COUNCIL_REFUSED and version.council_decided_on
        else None,
    }
    if context.get("outdated"):
        # Refused by the services anyway: offer the carry-over instead of buttons that cannot work.
        context["may_submit"] = False
        context["may_adopt"] = adopt_form is not None
    return render(request, "policy/draft.html", context, status=status)


def _three_way_parts(base, current, draft) -> list:
    parts = [
        (_("Protocol"), three_way(base.body if base else "", current.body, draft.body)),
        (_("Toelichting"), three_way(base.explanation if base else "", current.explanation, draft.explanation)),
        (
            _("Samenvatting voor de schoolgids"),
            three_way(base.summary_for_parents if base else "", current.summary_for_parents, draft.summary_for_parents),
        ),
    ]
    return [(title, blocks) for title, blocks in parts if blocks]


def _carry_over_context(version, user) -> dict:
    """An outdated draft: its base, the newest version, both changes side by side and the offer to
    carry it over. A carried-over draft: where it went. A draft made by carrying: both sides again."""
    if selectors.protocol_draft_is_outdated(version):
        base = selectors.protocol_draft_base(version)
        latest = selectors.protocol_version_latest_adopted(document=version.document)
        return {
            "outdated": {"base": base, "latest": latest},
            "three_way": _three_way_parts(base, latest, version),
            "three_way_current": latest,
            "may_carry_over": access.may_draft(user),
        }
    if version.status == VersionStatus.CARRIED_OVER:
        return {"carried_into": version.carried_over_into.order_by("pk").first()}
    source = version.carried_over_from
    if source is not None and version.based_on is not None:
        return {
            "carried_from": source,
            "three_way": _three_way_parts(selectors.protocol_draft_base(source), version.based_on, source),
            "three_way_current": version.based_on,
        }
    return {}


@private_view
def draft(request, pk: int):
    return _draft_page(request, _draft_or_404(request, pk))


@private_view
def draft_edit(request, pk: int):
    """Write the draft in Markdown; "Voorbeeld" shows it rendered without saving."""
    version = _draft_or_404(request, pk)
    if version.status != VersionStatus.DRAFT or not access.may_draft(request.user):
        messages.error(request, _("De tekst ligt vast zodra het concept aan de (G)MR is voorgelegd."))
        return redirect("policy:draft", pk=version.pk)
    initial = {f: getattr(version, f) for f in ("title", "change_note", "body", "explanation", "summary_for_parents")}
    form = DraftForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = document_of(ProtocolVersion(**form.cleaned_data))
        else:
            with refusal_on_form(form):
                services.protocol_draft_update(version=version, by=request.user, **form.cleaned_data)
                messages.success(request, _("Het concept is opgeslagen."))
                return redirect("policy:draft", pk=version.pk)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request, "policy/draft_edit.html", {"version": version, "form": form, "preview": preview}, status=status
    )


@private_view
@require_POST
def draft_submit(request, pk: int):
    version = _draft_or_404(request, pk)
    with refusal_as_message(request):
        services.protocol_version_submit(version=version, by=request.user)
        messages.success(request, _("Het concept is voorgelegd aan de (G)MR. De tekst ligt nu vast."))
    return redirect("policy:draft", pk=version.pk)


@private_view
@require_POST
def draft_council(request, pk: int):
    version = _draft_or_404(request, pk)
    form = CouncilDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            if data["decision"] == CouncilDecisionForm.CONSENT:
                services.protocol_version_council_consent(
                    version=version,
                    by=request.user,
                    decided_on=data["decided_on"],
                    minutes_reference=data["minutes_reference"],
                )
                messages.success(request, _("De instemming van de (G)MR is vastgelegd. Het bestuur is ingelicht."))
            else:
                services.protocol_version_council_refuse(
                    version=version,
                    by=request.user,
                    decided_on=data["decided_on"],
                    minutes_reference=data["minutes_reference"],
                    reasons=data["reasons"],
                )
                messages.success(request, _("De weigering van de (G)MR is vastgelegd. Het bestuur is ingelicht."))
            return redirect("policy:draft", pk=version.pk)
    return _draft_page(request, version, council_form=form, status=400)


@private_view
@require_POST
def draft_adopt(request, pk: int):
    version = _draft_or_404(request, pk)
    form = AdoptForm(request.POST)
    if form.is_valid():
        with refusal_on_form(form):
            version = services.protocol_version_adopt(version=version, by=request.user, **form.cleaned_data)
            if version.is_in_force:
                messages.success(request, _("%(v)s is vastgesteld en geldt vanaf vandaag.") % {"v": version})
                return redirect("policy:current")
            messages.success(request, _("%(v)s is vastgesteld en gaat later in.") % {"v": version})
            return redirect("policy:draft", pk=version.pk)
    return _draft_page(request, version, adopt_form=form, status=400)


@private_view
@require_POST
def draft_carry_over(request, pk: int):
    """Carry an outdated draft onto the newest adopted version, as a new draft (consent again)."""
    version = _draft_or_404(request, pk)
    with refusal_as_message(request):
        new = services.protocol_draft_carry_over(version=version, by=request.user)
        messages.success(
            request,
            _("De wijzigingen staan nu in %(new)s, op basis van %(base)s. Controleer het en leg het aan de (G)MR voor.")
            % {"new": new, "base": new.based_on},
        )
        return redirect("policy:draft", pk=new.pk)
    return redirect("policy:draft", pk=version.pk)


# Version 1: its dates, recorded once ------------------------------------------------------------


@private_view
def version_dates(request, number: int):
    """The board or a functional admin records the real (G)MR consent and adoption dates of a
    version adopted before the portal (version 1); shown on its public page and its history."""
    version = selectors.protocol_version_public(number=number)
    if version is None or not version.adopted_before_portal or not access.may_record_version_dates(request.user):
        raise Http404
    initial = {
        "council_decided_on": version.council_decided_on,
        "minutes_reference": version.council_minutes_reference,
        "adopted_on": version.adopted_on,
        "adopted_by_name": version.adopted_by_name or VersionDatesForm.base_fields["adopted_by_name"].initial,
        "effective_from": version.effective_from,
    }
    form = VersionDatesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusal_on_form(form):
            services.protocol_version_record_dates(
                version=version,
                by=request.user,
                council_decided_on=data["council_decided_on"],
                minutes_reference=data["minutes_reference"],
                adopted_on=data["adopted_on"],
                adopted_by_name=data["adopted_by_name"],
                effective_from=data["effective_from"],
            )
            messages.success(
                request, _("De datums van %(v)s zijn vastgelegd en staan nu op de openbare pagina.") % {"v": version}
            )
            return redirect("policy:version", number=version.number)
    return render(
        request,
        "policy/version_dates.html",
        {"version": version, "form": form, "events": list(version.events.select_related("by"))},
        status=400 if request.method == "POST" else 200,
    )


# Read receipts ----------------------------------------------------------------------------------


@private_view
def acknowledge(request):
    """A staff member reads the version in force ("what changed" first) and confirms with one click."""
    if not access.may_acknowledge_protocol(request.user):
        raise Http404
    version = selectors.protocol_version_in_force()
    if version is None:
        return render(request, "policy/none.html", status=404)
    if request.method == "POST":
        with refusal_as_message(request):
            services.protocol_acknowledge(version=version, staff_member=request.user)
            messages.success(request, _("Dank u wel. U hebt bevestigd dat u %(v)s hebt gelezen.") % {"v": version})
        return redirect("policy:acknowledge")
    current = selectors.acknowledgement_of(user=request.user, version=version)
    latest = selectors.acknowledgement_latest_of(user=request.user)
    earlier = latest if latest is not None and latest.version_id != version.pk else None
    since = (
        earlier.version if earlier else selectors.protocol_versions_public().filter(number__lt=version.number).first()
    )
    changes = [c for c in diff_blocks(since.body, version.body) if c.change != "same"] if since else []
    return render(
        request,
        "policy/acknowledge.html",
        {
            "version": version,
            "document": document_of(version),
            "acknowledgement": current,
            "earlier": earlier,
            "since": since,
            "changes": changes,
            "says_older_than_16": says_older_than_16(version),
        },
    )


@private_view
def acknowledgement_schools(request):
    """Leaders: their schools; the board: every school. One school goes straight to its overview."""
    schools = list(access.acknowledgement_schools_for(user=request.user))
    if not schools:
        raise Http404
    if len(schools) == 1:
        return redirect("policy:acknowledgements", school=schools[0].pk)
    return render(request, "policy/acknowledgement_schools.html", {"schools": schools})


def _overview_or_404(request, school: int):
    overview = selectors.acknowledgement_overview(user=request.user, school_id=school)
    if overview is None:
        raise Http404
    return overview


@private_view
def acknowledgements(request, school: int):
    """Per staff member of one school: read the version in force (date), an older one, or not yet."""
    school_obj, version, rows = _overview_or_404(request, school)
    done = sum(1 for row in rows if row.current)
    to_remind = (
        selectors.staff_to_remind_now(school=school_obj, version=version, by=request.user).count() if version else 0
    )
    return render(
        request,
        "policy/acknowledgements.html",
        {
            "school": school_obj,
            "version": version,
            "rows": rows,
            "done": done,
            "total": len(rows),
            "to_remind": to_remind,
            "pause_hours": REMIND_NOW_PAUSE_HOURS,
        },
    )


@private_view
@require_POST
def acknowledgements_remind(request, school: int):
    """ "Herinner nu": remind the staff of this school who have not read the version in force."""
    school_obj, _version, _rows = _overview_or_404(request, school)
    with refusal_as_message(request):
        count = services.protocol_acknowledgement_remind_now(school=school_obj, by=request.user)
        if count:
            messages.success(
                request,
                ngettext(
                    "%(n)s medewerker heeft een herinnering gekregen.",
                    "%(n)s medewerkers hebben een herinnering gekregen.",
                    count,
                )
                % {"n": count},
            )
        else:
            messages.info(
                request,
                _("Niemand kreeg een herinnering: wie het nog niet las, is de afgelopen %(h)s uur al herinnerd.")
                % {"h": REMIND_NOW_PAUSE_HOURS},
            )
    return redirect("policy:acknowledgements", school=school_obj.pk)


@private_view
def acknowledgements_csv(request, school: int):
    school_obj, _version, rows = _overview_or_404(request, school)
    return csv_download(
        filename=f"leesbevestigingen-{school_obj.brin}.csv",
        rows=[
            [_("Naam"), _("E-mailadres"), _("Status"), _("Gelezen versie"), _("Gelezen op")],
            *(_acknowledgement_row(row) for row in rows),
        ],
    )


def _acknowledgement_row(row) -> list:
    if row.current:
        status = _("gelezen")
    elif row.is_outdated:
        status = _("oudere versie gelezen")
    else:
        status = _("niet gelezen")
    ack = row.current or row.latest
    return [
        str(row.staff_member),
        row.staff_member.email,
        status,
        ack.version.number if ack else "",
        timezone.localtime(ack.acknowledged_at).strftime("%Y-%m-%d %H:%M") if ack else "",
    ]
