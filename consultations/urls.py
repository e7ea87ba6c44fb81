from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("consultations/", views.consultation_list, name="list"),
    path("consultations/new/", views.consultation_new, name="new"),
    path("consultations/<int:pk>/", views.consultation_detail, name="detail"),
    path("consultations/<int:pk>/case/", views.consultation_to_case, name="to_case"),
]
