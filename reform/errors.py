"""The platform's own answers when a request cannot be served — 400, 403 (a refusal, or a form sent
without its CSRF token), 404, 500 and 503 when the database is away: a page in the platform's
language with the menu and a way back, or JSON under /api/ (a caller of the API gets no HTML page).
An error's page says only its number, the request id its log lines carry, never what went wrong."""

import logging
import sys

from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

TITLES = {
    400: gettext_lazy("The request could not be understood"),
    403: gettext_lazy("Not for you to see or do"),
    404: gettext_lazy("No such page"),
}
EXPLANATIONS = {
    400: gettext_lazy("Something in the request was not as the platform expects; nothing was changed."),
    403: gettext_lazy("Your account's role or unit does not allow this. If you need it, ask the SASAC office."),
    404: gettext_lazy("The address may be mistyped, or what it named has been removed or is not yours to see."),
}
API = {
    400: gettext_lazy("The request could not be understood."),
    403: gettext_lazy("You do not have permission to do this."),
    404: gettext_lazy("No such address in the API."),
}


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _page(request, status: int, reason: str = ""):
    if _is_api(request):
        return JsonResponse({"detail": reason or str(API[status])}, status=status)
    context = {
        "status": status,
        "title": TITLES[status],
        "explanation": EXPLANATIONS[status],
        "reason": reason,
        "back": _back(request),
    }
    return render(request, "error.html", context, status=status)


def _back(request) -> str:
    """The page the user came from, when it is one of the platform's own."""
    came_from = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # the very reason for a 400
        return ""
    safe = url_has_allowed_host_and_scheme(came_from, allowed_hosts={host}, require_https=request.is_secure())
    return came_from if safe and came_from != request.build_absolute_uri() else ""


def _reason(exception) -> str:
    """What a refusal says: the platform's services refuse in words for the user (Django's own 403s
    carry none)."""
    words = exception.args[0] if exception is not None and exception.args else ""
    return str(words) if isinstance(words, str | Promise) else ""


def bad_request(request, exception):
    return _page(request, 400)


def permission_denied(request, exception):
    return _page(request, 403, _reason(exception))


def page_not_found(request, exception):
    return _page(request, 404)


def csrf_failure(request, reason=""):
    """A form sent without its token, or with an old one (the page was open across a sign-in)."""
    message = _("The form had expired or came from elsewhere. Go back, reload the page and send it again.")
    return _page(request, 403, message)


def server_error(request):
    number = getattr(request, "request_id", "")
    # Django calls this while handling the error: the exception is still the one in hand.
    if isinstance(sys.exc_info()[1], DatabaseError):
        return _database_unavailable(request, number)
    if _is_api(request):
        message = _("An unexpected error; the details are in the log under %(number)s.") % {"number": number}
        return JsonResponse({"detail": message, "request_id": number}, status=500)
    return _failure_page(request, {"request_id": number}, status=500)


def _database_unavailable(request, number):
    """The database not answering (restarting, unreachable, locked): a 503 that says so and when to
    try again, on any page; the connection is checked afresh on the next request."""
    message = _(
        "The database is not answering just now (it may be restarting). Nothing was saved; try again in a minute."
    )
    if _is_api(request):
        response = JsonResponse({"detail": message, "code": "database_unavailable", "request_id": number}, status=503)
    else:
        response = _failure_page(request, {"request_id": number, "message": message}, status=503, plain=True)
    response["Retry-After"] = "60"
    return response


def _failure_page(request, context: dict, *, status: int, plain: bool = False) -> HttpResponse:
    """The platform's page with its menu; if even that cannot be made (the menu reads the database),
    a page that needs nothing."""
    if not plain:
        try:
            return render(request, "500.html", {**context, "back": _back(request)}, status=status)
        except Exception:
            logger.warning("the error page could not be made with its menu", exc_info=True)
    return HttpResponse(loader.get_template("500_plain.html").render(context), status=status)
