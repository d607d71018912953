from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from orgs.forms import LoginForm


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


def placeholder(*, title, purpose, allowed):
    """A page that a later version builds; it says so, and is already guarded by the policy."""

    @login_required
    def view(request):
        if not allowed(request.user):
            raise PermissionDenied
        return render(request, "includes/placeholder.html", {"title": title, "purpose": purpose})

    return view
