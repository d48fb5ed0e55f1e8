from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from microreach.web.accounts import views
from microreach.web.accounts.forms import QueuedPasswordResetForm, TokenRevokingSetPasswordForm

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("language/", views.language_switch, name="language"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/brand/", views.signup_brand, name="signup_brand"),
    path("signup/creator/", views.signup_creator, name="signup_creator"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("verify/resend/", views.verify_resend, name="verify_resend"),
    path("verify/<str:token>/", views.verify_email, name="verify"),
    path("home/", views.home, name="home"),
    path("switch/", views.switch_organisation, name="switch"),
    path("team/", views.team, name="team"),
    path("team/members/<int:membership_id>/role/", views.team_member_role, name="team_member_role"),
    path("team/members/<int:membership_id>/remove/", views.team_member_remove, name="team_member_remove"),
    path(
        "team/invitations/<int:invitation_id>/cancel/",
        views.team_invitation_cancel,
        name="team_invitation_cancel",
    ),
    path("settings/", views.settings_page, name="settings"),
    path("delete/", views.account_delete, name="delete"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("email/change/", views.email_change_view, name="email_change"),
    path("email/confirm/<str:token>/", views.email_change_confirm_view, name="email_confirm"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            form_class=QueuedPasswordResetForm,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            form_class=TokenRevokingSetPasswordForm,
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
