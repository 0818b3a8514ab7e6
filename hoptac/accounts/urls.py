from django.contrib.auth import views as auth_views
from django.urls import include, path

from hoptac.accounts import audit_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),  # POST only (Django 5)
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", include("hoptac.accounts.two_factor.urls")),  # names two_factor*
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<id:pk>/", views.user_detail, name="user_detail"),
    path("users/<id:pk>/edit/", views.user_edit, name="user_edit"),
    path("users/<id:pk>/password/", views.user_password, name="user_password"),
    path("users/<id:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("nhat-ky/", audit_views.audit_entry_list, name="audit_entry_list"),  # the audit log
]
