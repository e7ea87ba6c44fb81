from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("report/", views.report_new, name="new"),
    path("report/thanks/", views.report_thanks, name="thanks"),
    path("report/follow/", views.follow, name="follow"),
    path("report/follow/reply/", views.follow_reply, name="follow_reply"),
    path("report/follow/stop/", views.follow_stop, name="follow_stop"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/reports/<int:report_pk>/message/", views.case_message, name="case_message"),
    path("cases/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
]
