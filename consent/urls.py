from django.urls import path

from . import views

app_name = "consent"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("pupil/<int:pk>/", views.decide_pupil, name="decide_pupil"),
    path("pupil/<int:pk>/withdraw/", views.withdraw_pupil, name="withdraw_pupil"),
    path("self/", views.decide_self, name="decide_self"),
    path("self/withdraw/", views.withdraw_self, name="withdraw_self"),
    path("decisions/<int:pk>/", views.proof, name="proof"),
    path("campaigns/", views.campaigns, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
