from django.urls import path

from . import views

app_name = "policy"

urlpatterns = [
    path("", views.current, name="current"),
    path("<int:number>/", views.version_detail, name="version"),
    path("<int:number>/print/", views.printable, name="print"),
    path("<int:number>/pdf/", views.pdf, name="pdf"),
    path("history/", views.history, name="history"),
    path("diff/", views.diff_choose, name="diff_choose"),
    path("diff/<int:a>/<int:b>/", views.diff, name="diff"),
]
