from django.urls import path

from equisante.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_account, name="me"),
    path("mot-de-passe/", views.PasswordChange.as_view(), name="password_change"),
    path("mot-de-passe-oublie/", views.PasswordReset.as_view(), name="reset"),
    path("mot-de-passe-oublie/envoye/", views.PasswordResetSent.as_view(), name="reset_sent"),
    path("mot-de-passe-oublie/<uidb64>/<token>/", views.PasswordResetConfirm.as_view(), name="reset_confirm"),
    path("mot-de-passe-oublie/termine/", views.PasswordResetDone.as_view(), name="reset_done"),
    path("utilisateurs/", views.user_list, name="users"),
    path("utilisateurs/inviter/", views.user_invite, name="invite"),
    path("utilisateurs/<int:pk>/", views.user_detail, name="user"),
    path("utilisateurs/<int:pk>/activation/", views.user_active, name="user_active"),
    path("utilisateurs/<int:pk>/roles/<int:role_pk>/retirer/", views.role_remove, name="role_remove"),
]
