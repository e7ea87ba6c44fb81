from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.PasswordLoginView.as_view(), name="login"),
    path("login/verify/", views.verify, name="verify"),
    path("two-factor/setup/", views.totp_setup, name="totp_setup"),
    path("login/link/", views.link_request, name="link_request"),
    path("login/link/sent/", views.link_sent, name="link_sent"),
    path("login/link/open/", views.link_open, name="link_open"),
    path("login/link/<str:token>/", views.link_login, name="link_login"),
    path("login/unlock/", views.unlock_request, name="unlock_request"),
    path("login/unlock/sent/", views.unlock_sent, name="unlock_sent"),
    path("login/unlock/open/", views.unlock_open, name="unlock_open"),
    path("login/unlock/<str:token>/", views.unlock_link, name="unlock_link"),
    path("password/forgotten/", views.password_forgotten, name="password_forgotten"),
    path("password/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("password/set/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_reset_confirm"),
    path("password/done/", views.PasswordSetCompleteView.as_view(), name="password_reset_complete"),
    path("logout/", views.PortalLogoutView.as_view(), name="logout"),
    path("logout/provider/", views.signed_out, name="signed_out"),
    # Single sign-on: register .../callback/ as the redirect URI at the provider (README).
    path("login/microsoft/", views.sso_start, {"provider": "microsoft"}, name="sso_start_microsoft"),
    path("login/microsoft/callback/", views.sso_callback, {"provider": "microsoft"}, name="sso_callback_microsoft"),
    path("login/google/", views.sso_start, {"provider": "google"}, name="sso_start_google"),
    path("login/google/callback/", views.sso_callback, {"provider": "google"}, name="sso_callback_google"),
    path("hygiene/", views.account_hygiene, name="hygiene"),
    path("hygiene/disable/", views.account_hygiene_disable, name="hygiene_disable"),
    path("roles/", views.role_requests, name="roles"),
    path("roles/request/", views.role_request_new, name="role_request_new"),
    path("roles/<int:pk>/decide/", views.role_request_decide, name="role_request_decide"),
    path("schools/<int:pk>/", views.school_detail, name="school_detail"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
]
