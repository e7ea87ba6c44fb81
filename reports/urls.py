from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("report/", views.report_new, name="new"),
    path("report/thanks/", views.report_thanks, name="thanks"),
    path("report/follow/", views.follow, name="follow"),
    path("report/follow/reply/", views.follow_reply, name="follow_reply"),
    path("report/follow/stop/", views.follow_stop, name="follow_stop"),
    path("report/contacts/", views.contacts, name="contacts"),
    path("report/contacts/<int:pk>/", views.school_contacts, name="school_contacts"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/statistics/", views.case_statistics, name="statistics"),
    path("cases/statistics.csv", views.case_statistics_csv, name="statistics_csv"),
    path("cases/retention/", views.case_retention, name="retention"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/reports/<int:report_pk>/message/", views.case_message, name="case_message"),
    path("cases/<int:pk>/status/", views.case_transition, name="case_transition"),
    path("cases/<int:pk>/entries/", views.case_entry, name="case_entry"),
    path("cases/<int:pk>/entries/<int:entry_pk>/correct/", views.case_entry_correct, name="case_entry_correct"),
    path("cases/<int:pk>/handler/", views.case_handler, name="case_handler"),
    path("cases/<int:pk>/access/", views.case_access, name="case_access"),
    path("cases/<int:pk>/hand-on/", views.case_hand_on, name="case_hand_on"),
    path("cases/<int:pk>/access/<int:user_pk>/restore/", views.case_access_restore, name="case_access_restore"),
    path("cases/<int:pk>/merge/", views.case_merge, name="case_merge"),
    path("cases/<int:pk>/legal-hold/", views.case_legal_hold, name="case_legal_hold"),
    path("cases/<int:pk>/about-me/", views.case_about_me, name="case_about_me"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
]
