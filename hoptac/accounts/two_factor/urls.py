"""Two-factor sign-in, under /accounts/two-factor/ in the accounts namespace."""

from django.urls import path

from hoptac.accounts.two_factor import views

urlpatterns = [
    path("", views.manage, name="two_factor"),
    path("verify/", views.verify, name="two_factor_verify"),
    path("setup/", views.setup, name="two_factor_setup"),
    path("recovery-codes/", views.recovery_codes, name="two_factor_recovery_codes"),
    path("remove/", views.remove, name="two_factor_remove"),
    path("users/<id:pk>/reset/", views.user_reset, name="user_two_factor_reset"),
]
