from django.urls import path

from . import views

app_name = "recordings"

urlpatterns = [
    path("recordings/", views.group_list, name="group_list"),
    path("recordings/groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("recordings/permissions/<int:pk>/withdraw/", views.permission_withdraw, name="permission_withdraw"),
    path("recordings/cases/<int:case_pk>/link/", views.case_link, name="case_link"),
]
