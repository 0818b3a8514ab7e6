"""The API tokens page, under the language prefixes (config/urls.py: /khoa-api/)."""

from django.urls import path

from hoptac.api import views

app_name = "api"
urlpatterns = [
    path("", views.token_list, name="token_list"),
    path("<id:pk>/thu-hoi/", views.token_revoke, name="token_revoke"),
]
