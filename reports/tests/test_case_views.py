"""The case pages through HTTP: list filters, triage, timeline entries and corrections, merge, handler."""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from reports.constants import CaseState, Category, ClosingReason, TimelineKind
from reports.extensions import CloseCheck, case_extensions
from reports.models import Case, TimelineEntry
from reports.tests.factories import CaseFactory, ReportFactory

pytestmark = pytest.mark.django_db


def page_of(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# The list -----------------------------------------------------------------------------------------


def test_the_list_filters_searches_sorts_and_marks_overdue_cases(client, school, other_school, board_member, logged_in):
    long_ago = timezone.now() - datetime.timedelta(days=30)
    overdue = ReportFactory(school=school, case__created_at=long_ago, description="Nepaccount op Instagram")
    sexting = ReportFactory(school=other_school, category=Category.SEXTING)
    handled = ReportFactory(school=school)
    Case.objects.filter(pk=handled.case.pk).update(state=CaseState.INVESTIGATING, handler=board_member)
    logged_in(board_member)
    url = reverse("reports:case_list")

    page = page_of(client, url)
    assert page.count('data-testid="case-row"') == 3
    assert page.count("case-overdue") == 1 and "over tijd" in page
    assert overdue.case.number in page.split("case-overdue")[1].split("</tr>")[0]

    assert overdue.case.number in page_of(client, url, overdue="on")
    assert page_of(client, url, overdue="on").count('data-testid="case-row"') == 1
    assert page_of(client, url, school=other_school.pk).count('data-testid="case-row"') == 1
    assert sexting.case.number in page_of(client, url, category=Category.SEXTING)
    assert page_of(client, url, state=CaseState.INVESTIGATING).count('data-testid="case-row"') == 1
    assert handled.case.number in page_of(client, url, handler="me")
    assert page_of(client, url, handler="none").count('data-testid="case-row"') == 2
    # What a report says is sealed (common/vault.py): the search finds numbers and schools, and says so.
    content_search = page_of(client, url, q="nepaccount")
    assert content_search.count('data-testid="case-row"') == 0
    assert "niet doorzoekbaar" in content_search
    assert page_of(client, url, q=other_school.name).count('data-testid="case-row"') == 1
    assert page_of(client, url, q=overdue.case.number).count('data-testid="case-row"') == 1
    oldest_first = page_of(client, url, sort="created")
    assert oldest_first.index(overdue.case.number) < oldest_first.index(handled.case.number)


def test_a_bad_filter_value_is_named_and_the_page_still_works(client, school, school_leader, logged_in):
    ReportFactory(school=school)
    logged_in(school_leader)
    response = client.get(reverse("reports:case_list"), {"state": "lost", "q": "pesten", "page": "x"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in page and 'value="pesten"' in page


def test_the_list_keeps_the_filters_across_pages(school, school_leader, logged_in):
    for _ in range(26):
        ReportFactory(school=school)
    page = page_of(logged_in(school_leader), reverse("reports:case_list"), state="new")
    assert "?state=new&amp;page=2" in page


# Triage through the page -------------------------------------------------------------------------


def test_a_handler_moves_the_case_and_a_refusal_keeps_what_was_typed(client, school, school_leader, logged_in):
    report = ReportFactory(school=school)
    logged_in(school_leader)
    detail = reverse("reports:case_detail", args=[report.case.pk])
    client.get(detail)  # the first opening acknowledges
    report.case.refresh_from_db()
    assert report.case.state == CaseState.ACKNOWLEDGED
    transition = reverse("reports:case_transition", args=[report.case.pk])
    client.post(transition, {"to_state": CaseState.INVESTIGATING})
    response = client.post(transition, {"to_state": CaseState.CLOSED, "reason": "Gesprek gevoerd, opgelost."})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies een reden van sluiten." in page and "Gesprek gevoerd, opgelost." in page
    with case_extensions.restored_afterwards():
        refusal = CloseCheck(name="test.inspector", refusal=lambda case: "Bel eerst de Vertrouwensinspecteur.")
        case_extensions.register(refusal)
        response = client.post(transition, {"to_state": CaseState.CLOSED, "closing_reason": ClosingReason.HANDLED})
    assert response.status_code == 400 and "Vertrouwensinspecteur" in response.content.decode()
    client.post(transition, {"to_state": CaseState.CLOSED, "closing_reason": ClosingReason.HANDLED})
    report.case.refresh_from_db()
    assert report.case.state == CaseState.CLOSED and report.case.closing_reason == ClosingReason.HANDLED
    response = client.post(transition, {"to_state": CaseState.INVESTIGATING, "reason": ""})
    assert response.status_code == 400 and "Geef een reden op." in response.content.decode()


def test_a_state_not_allowed_from_here_is_refused_in_dutch(school, school_leader, logged_in):
    case = CaseFactory(school=school, state=CaseState.ACKNOWLEDGED)
    response = logged_in(school_leader).post(
        reverse("reports:case_transition", args=[case.pk]), {"to_state": CaseState.MEASURES_DECIDED}
    )
    assert response.status_code == 400 and "Selecteer een geldige keuze" in response.content.decode()


def test_a_conversation_is_recorded_with_whom_and_a_correction_leaves_the_original(
    client, school, school_leader, logged_in
):
    case = CaseFactory(school=school, state=CaseState.INVESTIGATING)
    logged_in(school_leader)
    entry_url = reverse("reports:case_entry", args=[case.pk])
    response = client.post(entry_url, {"kind": "conversation", "with_whom": "", "summary": "Uitleg gegeven."})
    assert response.status_code == 400 and "Vul in met wie het gesprek was." in response.content.decode()
    assert "Uitleg gegeven." in response.content.decode()
    client.post(entry_url, {"kind": "conversation", "with_whom": "Moeder van Noor", "summary": "Uitleg gegeven."})
    original = TimelineEntry.objects.get(case=case, kind=TimelineKind.CONVERSATION)
    assert original.with_whom == "Moeder van Noor" and original.data == {} and original.author == school_leader
    client.post(reverse("reports:case_entry_correct", args=[case.pk, original.pk]), {"summary": "Het was de vader."})
    original.refresh_from_db()
    assert original.summary == "Uitleg gegeven."
    correction = TimelineEntry.objects.get(case=case, kind=TimelineKind.CORRECTION)
    assert correction.corrects == original and correction.summary == "Het was de vader."
    page = page_of(client, reverse("reports:case_detail", args=[case.pk]))
    assert "Gesprek met Moeder van Noor" in page and "Het was de vader." in page and "Corrigeert de regel" in page


def test_the_timeline_cannot_be_edited_through_any_page(client, school, board_member, logged_in):
    """No URL of the portal changes or removes an existing entry, whatever it is sent."""
    report = ReportFactory(school=school)
    entry = TimelineEntry.objects.create(case=report.case, kind="note", author=board_member, summary="Origineel")
    before = list(TimelineEntry.objects.values_list("pk", "kind", "summary", "data", "created_at"))
    logged_in(board_member)
    payload = {"summary": "Gewijzigd", "id": entry.pk, "pk": entry.pk, "entry": entry.pk, "kind": "note"}
    kwargs = {"pk": report.case.pk, "report_pk": report.pk, "entry_pk": entry.pk, "evidence_pk": 1, "user_pk": 1}

    def patterns(resolver, prefix=""):
        for item in resolver.url_patterns:
            if isinstance(item, URLPattern):
                yield prefix, item
            else:
                yield from patterns(item, prefix + (item.namespace + ":" if item.namespace else ""))

    for namespace, pattern in patterns(get_resolver()):
        if namespace != "reports:" or not pattern.name:
            continue
        needed = {key: kwargs[key] for key in pattern.pattern.converters}
        url = reverse(f"reports:{pattern.name}", kwargs=needed)
        for method in ("post", "put", "patch", "delete"):
            getattr(client, method)(url, payload)
    after = {row[0]: row for row in TimelineEntry.objects.values_list("pk", "kind", "summary", "data", "created_at")}
    assert all(after[row[0]] == row for row in before)
    with pytest.raises(ValueError):
        entry.summary = "Gewijzigd"
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_a_note_cannot_pretend_to_be_a_status_change(school, school_leader, logged_in):
    case = CaseFactory(school=school, state=CaseState.INVESTIGATING)
    response = logged_in(school_leader).post(
        reverse("reports:case_entry", args=[case.pk]), {"kind": "status_change", "summary": "Gesloten"}
    )
    assert response.status_code == 400
    assert not TimelineEntry.objects.filter(case=case).exclude(kind=TimelineKind.VIEW).exists()


# Handler, access, merge ------------------------------------------------------------------------------


def test_the_handler_is_assigned_and_reassigned_only_to_who_may_handle(
    client, school, other_school, school_leader, logged_in
):
    colleague = UserFactory(roles=[("school_leader", school)])
    elsewhere = UserFactory(roles=[("school_leader", other_school)])
    case = CaseFactory(school=school, state=CaseState.ACKNOWLEDGED)
    logged_in(school_leader)
    url = reverse("reports:case_handler", args=[case.pk])
    assert client.post(url, {"handler": colleague.pk}).status_code == 302
    case.refresh_from_db()
    assert case.handler == colleague
    assert client.post(url, {"handler": elsewhere.pk}).status_code == 400
    case.refresh_from_db()
    assert case.handler == colleague
    assert TimelineEntry.objects.filter(case=case, kind=TimelineKind.HANDLER).count() == 1


def test_a_case_about_leadership_can_only_be_handled_by_the_board(school, school_leader, board_member):
    from reports.selectors import case_handler_candidates

    case = CaseFactory(school=school, about_leadership=True)
    assert list(case_handler_candidates(case=case)) == [board_member]


def test_the_board_withdraws_a_leaders_access_and_the_leader_stops_handling(
    client, school, school_leader, board_member, logged_in
):
    case = CaseFactory(school=school, handler=school_leader, state=CaseState.ACKNOWLEDGED)
    logged_in(board_member)
    url = reverse("reports:case_access", args=[case.pk])
    response = client.post(url, {"user": school_leader.pk, "reason": ""})
    assert response.status_code == 400
    client.post(url, {"user": school_leader.pk, "reason": "Ouder van de betrokken leerling."})
    case.refresh_from_db()
    assert case.handler is None
    logged_in(school_leader)
    assert client.get(reverse("reports:case_detail", args=[case.pk])).status_code == 404
    restore = reverse("reports:case_access_restore", args=[case.pk, school_leader.pk])
    assert client.post(restore).status_code == 404  # not the leader's to undo
    logged_in(board_member)
    assert client.post(restore).status_code == 302
    logged_in(school_leader)
    assert client.get(reverse("reports:case_detail", args=[case.pk])).status_code == 200
    kinds = TimelineEntry.objects.filter(case=case, kind=TimelineKind.ACCESS).values_list("data", flat=True)
    assert list(kinds) == [{"withdrawn": school_leader.pk}, {"restored": school_leader.pk}]


def test_two_reports_are_merged_into_one_case(client, school, other_school, school_leader, logged_in):
    first, second = ReportFactory(school=school), ReportFactory(school=school)
    elsewhere = ReportFactory(school=other_school)
    logged_in(school_leader)
    url = reverse("reports:case_merge", args=[first.case.pk])
    response = client.post(url, {"other": elsewhere.case.number})
    assert response.status_code == 400 and "Dit dossier is niet gevonden." in response.content.decode()
    response = client.post(url, {"other": "geen nummer"})
    assert response.status_code == 400 and "Vul een dossiernummer in" in response.content.decode()
    assert client.post(url, {"other": second.case.number}).status_code == 302
    second.refresh_from_db()
    assert second.case == first.case
    old = Case.objects.get(merged_into=first.case)
    assert old.state == CaseState.CLOSED
    assert client.get(reverse("reports:case_detail", args=[old.pk])).url == reverse(
        "reports:case_detail", args=[first.case.pk]
    )
    page = page_of(client, reverse("reports:case_list"))
    assert page.count('data-testid="case-row"') == 1
    assert page_of(client, reverse("reports:case_detail", args=[first.case.pk])).count("Melding: Pesten") == 2


def test_a_question_to_the_reporter_leaves_the_feedback_deadline_open_and_feedback_meets_it(
    client, school, school_leader, logged_in
):
    report = ReportFactory(school=school)
    url = reverse("reports:case_message", args=[report.case.pk, report.pk])
    logged_in(school_leader)
    client.post(url, {"body": "Wanneer was dit precies?", "kind": "message"})
    report.case.refresh_from_db()
    assert report.case.feedback_given_at is None
    client.post(url, {"body": "We hebben met de klas gesproken; de berichten zijn verwijderd.", "kind": "feedback"})
    report.case.refresh_from_db()
    assert report.case.feedback_given_at is not None
    assert TimelineEntry.objects.filter(case=report.case, kind=TimelineKind.MESSAGE, author=school_leader).count() == 2
    page = client.get(reverse("reports:case_detail", args=[report.case.pk])).content.decode()
    assert page.count('data-testid="timeline-feedback"') == 1 and page.count('data-testid="feedback-badge"') == 1


def test_a_message_without_a_kind_is_not_feedback(client, school, school_leader, logged_in):
    report = ReportFactory(school=school)
    logged_in(school_leader)
    client.post(reverse("reports:case_message", args=[report.case.pk, report.pk]), {"body": "Wij pakken dit op."})
    report.case.refresh_from_db()
    assert report.case.feedback_given_at is None
    assert report.messages.get().kind == "message"


def test_an_empty_message_is_named_and_the_chosen_kind_is_kept(client, school, school_leader, logged_in):
    report = ReportFactory(school=school)
    logged_in(school_leader)
    response = client.post(
        reverse("reports:case_message", args=[report.case.pk, report.pk]), {"body": "", "kind": "feedback"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit veld is verplicht." in page
    assert f'value="feedback"  id="id_report{report.pk}_kind_1" checked' in page
    assert not report.messages.exists()


def test_every_opening_is_on_the_timeline_shown_on_request(client, school, school_leader, board_member, logged_in):
    case = CaseFactory(school=school)
    logged_in(school_leader).get(reverse("reports:case_detail", args=[case.pk]))
    logged_in(board_member)
    client.get(reverse("reports:case_detail", args=[case.pk]))
    openings = TimelineEntry.objects.filter(case=case, kind=TimelineKind.VIEW)
    assert [entry.author for entry in openings.order_by("pk")] == [school_leader, board_member]
    page = page_of(client, reverse("reports:case_detail", args=[case.pk]))
    assert 'data-testid="timeline-view"' not in page and 'data-testid="timeline-status_change"' in page
    page = page_of(client, reverse("reports:case_detail", args=[case.pk]), views="1")
    assert page.count('data-testid="timeline-view"') == 4  # this opening and the one before are logged too


@pytest.mark.parametrize(
    "model",
    ["case", "report", "reportmessage", "evidence", "caseview", "timelineentry", "caseaccesswithdrawal"],
)
def test_the_back_office_has_no_page_with_case_content(
    client, school, board_member, model, logged_in, functional_admin
):
    """Case files are read in the portal, where every opening is logged; never in the admin."""

    report = ReportFactory(school=school)
    entry = TimelineEntry.objects.create(case=report.case, kind="note", author=board_member, summary="Origineel")
    logged_in(functional_admin)
    assert client.get(f"/admin/reports/{model}/").status_code == 404
    assert client.post(f"/admin/reports/timelineentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 404
    entry.refresh_from_db()
    assert entry.summary == "Origineel"
    assert "Meldingen" not in client.get("/admin/").content.decode()


def test_opening_an_evidence_file_is_on_the_timeline(school, school_leader, settings, tmp_path, logged_in):
    from reports.evidence import CheckedFile, evidence_write
    from reports.models import Evidence

    settings.EVIDENCE_ROOT = str(tmp_path)
    report = ReportFactory(school=school)
    stored = evidence_write(CheckedFile("text", "text/plain", ".txt", b"chat"), key_id=report.case.data_key)
    item = Evidence.objects.create(
        report=report,
        kind="text",
        file_name="melding-test-1.txt",
        stored_name=stored,
        content_type="text/plain",
        size=4,
        sha256="0" * 64,
    )
    logged_in(school_leader).get(reverse("reports:evidence", args=[report.case.pk, item.pk]))
    opened = TimelineEntry.objects.get(case=report.case, kind=TimelineKind.VIEW, data__evidence_id=item.pk)
    assert opened.author == school_leader and opened.summary == "melding-test-1.txt"


def test_merging_in_a_case_about_leadership_makes_it_board_only(school, school_leader, board_member):
    from reports.selectors import cases_visible_to
    from reports.services import case_merge

    plain = ReportFactory(school=school)
    Case.objects.filter(pk=plain.case.pk).update(handler=school_leader)
    about = ReportFactory(school=school, about_leadership=True)
    target = case_merge(source=about.case, target=Case.objects.get(pk=plain.case.pk), by=board_member)
    assert target.is_about_leadership and target.handler is None
    assert not cases_visible_to(user=school_leader).filter(pk=target.pk).exists()


def test_a_question_ticked_to_wait_on_a_case_closed_meanwhile_is_not_sent_and_kept(
    client, school, school_leader, logged_in
):
    from django.utils import timezone

    from reports.constants import CaseState, ClosingReason
    from reports.models import Case, ReportMessage
    from reports.tests.factories import ReportFactory

    report = ReportFactory(school=school)
    Case.objects.filter(pk=report.case_id).update(
        state=CaseState.CLOSED, closed_at=timezone.now(), closing_reason=ClosingReason.HANDLED
    )
    logged_in(school_leader)
    response = client.post(
        f"/cases/{report.case_id}/reports/{report.pk}/message/",
        {"body": "Wanneer gebeurde dit precies?", "kind": "message", "await_reply": "on"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "kan niet meer op “Wacht op de melder”" in page and "Wanneer gebeurde dit precies?" in page
    assert not ReportMessage.objects.exists()
