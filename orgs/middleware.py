"""Session rules for signed-in users: an idle session ends; a password staff set must be replaced."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

SEEN = "seen_at"
# The session is saved again at most this often: its expiry moves on without a write per request.
REFRESH_SECONDS = 60
# What a user who must change their password may still reach.
OPEN_PATHS = ("/accounts/", "/i18n/", "/static/", "/healthz", "/readyz")


def go_to(request, url: str):
    # An htmx request (a progress poll, a button on the task page) sends the whole page there.
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def start_idle_clock(sender, request, user, **kwargs):
    # Saved with the new session: the first request after signing in writes nothing more.
    if hasattr(request, "session"):
        request.session[SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    """Signs out a user who made no request for SESSION_IDLE_MINUTES (SESSION_COOKIE_AGE too,
    so that the session store drops the session on its own as well)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(SEEN)
            if seen is not None and now - seen > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                if request.path.startswith("/api/"):  # the API answers as to anyone not signed in
                    return self.get_response(request)
                messages.info(request, _("You were signed out after a time without activity. Please sign in again."))
                return go_to(request, f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            if seen is None or now - seen >= REFRESH_SECONDS:
                request.session[SEEN] = now
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """A user whose password staff set, or whose password expired, chooses one before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and (user.must_change_password or user.password_expired())
            and not request.path.startswith(OPEN_PATHS)
        ):
            message = _("Choose a new password before going on.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "password_change_required"}, status=403)
            return go_to(request, reverse("password_change"))
        return self.get_response(request)
