from django.contrib.auth import views as auth_views

from orgs.forms import LoginForm


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True
