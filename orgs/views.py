from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from orgs.forms import LoginForm
from reform.audit import record
from reform.models import AuditKind


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    """A user choosing their own password: at will, at the first sign-in, or when it has expired."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(**kwargs, required=user.must_change_password or user.password_expired())

    def form_valid(self, form):
        form.user.must_change_password = False
        response = super().form_valid(form)
        record(AuditKind.PASSWORD_CHANGED, request=self.request, username=form.user.get_username())
        messages.success(self.request, _("Your password has been changed."))
        return response
