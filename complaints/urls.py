from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("handle/", views.handle, name="handle"),
    path("<int:pk>/", views.detail, name="detail"),
]
