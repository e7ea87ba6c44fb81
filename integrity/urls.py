from django.urls import path

from . import views

app_name = "integrity"

urlpatterns = [
    path("", views.channel, name="channel"),
    path("report/", views.misstand_new, name="new"),
    path("follow/", views.follow, name="follow"),
    path("follow/reply/", views.follow_reply, name="follow_reply"),
    path("follow/stop/", views.follow_stop, name="follow_stop"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("board/", views.board, name="board"),
    path("board/officers/<int:pk>/end/", views.officer_end, name="officer_end"),
]
