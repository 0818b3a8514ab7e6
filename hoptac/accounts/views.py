"""Sign-in and the management of accounts."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hoptac.accounts import access
from hoptac.accounts.models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def user_list(request: HttpRequest) -> HttpResponse:
    users = access.users_visible_to(request.user, User.objects.select_related("area"))
    return render(request, "accounts/user_list.html", {"users": users})
