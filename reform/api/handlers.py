"""Django's own 404 and 500 answers: JSON under /api/ (a caller of the API gets no HTML page); an
error's page says only its number, the request id its log lines carry, never what went wrong."""

import sys

from django.db import DatabaseError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults


def not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("No such address in the API.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    number = getattr(request, "request_id", "")
    # Django calls this while handling the error: the exception is still the one in hand.
    if isinstance(sys.exc_info()[1], DatabaseError):
        return _database_unavailable(request, number)
    if request.path.startswith("/api/"):
        message = _("An unexpected error; the details are in the log under %(number)s.") % {"number": number}
        return JsonResponse({"detail": message, "request_id": number}, status=500)
    # No context processors, nothing from the database: the page must render whatever has failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": number}))


def _database_unavailable(request, number):
    """The database not answering (restarting, unreachable, locked): a 503 that says so and when to
    try again, on any page; the connection is checked afresh on the next request."""
    message = _(
        "The database is not answering just now (it may be restarting). Nothing was saved; try again in a minute."
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "code": "database_unavailable", "request_id": number}, status=503)
    else:
        page = loader.get_template("500.html").render({"request_id": number, "message": message})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = "60"
    return response
