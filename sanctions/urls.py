from django.urls import path

from . import views

app_name = "sanctions"

urlpatterns = [
    path("cases/<int:case_pk>/measures/", views.measure_list, name="measure_list"),
    path("cases/<int:case_pk>/measures/new/", views.measure_new, name="measure_new"),
    path("cases/<int:case_pk>/measures/people/new/", views.person_add, name="person_add"),
    path("cases/<int:case_pk>/measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("cases/<int:case_pk>/measures/<int:pk>/approve/", views.measure_approve, name="measure_approve"),
    path("cases/<int:case_pk>/measures/<int:pk>/refuse/", views.measure_refuse, name="measure_refuse"),
    path("cases/<int:case_pk>/escalations/", views.escalation_list, name="escalation_list"),
    path("cases/<int:case_pk>/escalations/finding/", views.conduct_finding_new, name="conduct_finding_new"),
    path("cases/<int:case_pk>/escalations/inspector/", views.inspector_call_new, name="inspector_call_new"),
    path("cases/<int:case_pk>/escalations/police/", views.police_report_new, name="police_report_new"),
    path("cases/<int:case_pk>/escalations/informed/", views.informed_new, name="informed_new"),
    path("cases/<int:case_pk>/escalations/safe-home/", views.safe_home_new, name="safe_home_new"),
    path("cases/<int:case_pk>/escalations/<int:pk>/step/", views.safe_home_step, name="safe_home_step"),
    path("cases/<int:case_pk>/escalations/serious/", views.serious_incident_new, name="serious_incident_new"),
    path("meldcode/", views.meldcode_list, name="meldcode_list"),
    path("meldcode/signal/", views.meldcode_signal, name="meldcode_signal"),
    path("meldcode/<int:pk>/", views.meldcode_detail, name="meldcode_detail"),
    path("meldcode/<int:pk>/step/", views.meldcode_step, name="meldcode_step"),
    path("meldcode/<int:pk>/status/", views.meldcode_status, name="meldcode_status"),
    path("measures/approvals/", views.approvals, name="approvals"),
    path("serious-incidents/", views.serious_incidents, name="serious_incidents"),
    path("serious-incidents/<int:pk>/", views.serious_incident_decide, name="serious_incident_decide"),
    path("overview/", views.overview_index, name="overview_index"),
    path("overview/<int:year>/", views.board_overview, name="board_overview"),
    path("overview/<int:year>/overview.<str:kind>", views.board_overview_file, name="board_overview_file"),
    path("overview/<int:year>/schools/<int:school>/", views.school_overview, name="school_overview"),
    path(
        "overview/<int:year>/schools/<int:school>/overview.<str:kind>",
        views.school_overview_file,
        name="school_overview_file",
    ),
    path("overview/<int:year>/schools/<int:school>/evaluation/", views.evaluation_edit, name="evaluation_edit"),
    path("person-files/", views.person_file_search, name="person_file_search"),
    path("person-files/staff/<int:pk>/", views.staff_person_file, name="staff_person_file"),
    path("person-files/pupils/<int:pk>/", views.pupil_person_file, name="pupil_person_file"),
    path("person-files/parents/<int:pk>/", views.parent_person_file, name="parent_person_file"),
    path("person-files/<str:kind>/<int:pk>/print/", views.person_file_print, name="person_file_print"),
]
