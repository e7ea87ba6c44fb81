from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("pupil/<int:pk>/", views.decide_pupil, name="decide_pupil"),
    path("pupil/<int:pk>/withdraw/", views.withdraw_pupil, name="withdraw_pupil"),
    path("self/", views.decide_self, name="decide_self"),
    path("self/withdraw/", views.withdraw_self, name="withdraw_self"),
    path("pupil/<int:pk>/paper/", views.paper_pupil, name="paper_pupil"),
    path("decisions/<int:pk>/", views.proof, name="proof"),
    path("decisions/<int:pk>/scan/", views.scan, name="scan"),
    path("forms/", views.form_texts, name="form_texts"),
    path("forms/next/", views.form_next, name="form_next"),
    path("forms/<int:version>/<slug:language>/", views.form_translation, name="form_translation"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/groups/<int:group_pk>/remind/", views.campaign_remind, name="campaign_remind"),
    path("invitation/", views.invitation, name="invitation"),
    path("invitation/<str:token>/", views.invitation_link, name="invitation_link"),
    path("sixteen/", views.pupils_of_sixteen, name="pupils_of_sixteen"),
    path("sixteen/<int:pk>/invite/", views.pupil_invite, name="pupil_invite"),
    path("groups/", views.groups, name="groups"),
    path("groups/<int:pk>/", views.group_overview, name="group_overview"),
    path("groups/<int:pk>/photo-check/", views.photo_check, name="photo_check"),
    path("publications/", views.publications, name="publications"),
    path("takedowns/", views.takedowns, name="takedowns"),
    path("takedowns/<int:pk>/done/", views.takedown_done, name="takedown_done"),
    path("schools/<int:pk>/export.csv", views.school_export, name="school_export"),
]
