from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors
from .articles import diff as diff_blocks
from .articles import document_of
from .pdf import protocol_pdf


def _version_page(request, version, *, template: str = "policy/version.html"):
    in_force = selectors.protocol_version_in_force()
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
        },
    )


def current(request):
    """The version in force, for everyone (no login)."""
    version = selectors.protocol_version_in_force()
    if version is None:
        return render(request, "policy/none.html", status=404)
    return _version_page(request, version)


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
    """The history page's compare form, without JavaScript: redirect to the stable diff URL."""
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
    except ValueError:
        messages.error(request, _("Kies twee versies om te vergelijken."))
        return redirect("policy:history")
    if a == b:
        messages.error(request, _("Kies twee verschillende versies om te vergelijken."))
        return redirect("policy:history")
    return redirect("policy:diff", a=min(a, b), b=max(a, b))


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
