"""Django's own 404 and 500 answers: JSON under /api/ (a caller of the API gets no HTML page); an
error's page says only its number, the request id its log lines carry, never what went wrong."""

from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults


def not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("No such address in the API.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    number = getattr(request, "request_id", "")
    if request.path.startswith("/api/"):
        message = _("An unexpected error; the details are in the log under %(number)s.") % {"number": number}
        return JsonResponse({"detail": message, "request_id": number}, status=500)
    # No context processors, nothing from the database: the page must render whatever has failed.
    return HttpResponseServerError(loader.get_template("500.html").render({"request_id": number}))
