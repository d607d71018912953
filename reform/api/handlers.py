"""Django's own 404 and 500 answers as JSON under /api/: a caller of the API gets no HTML page."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("No such address in the API.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("An unexpected error; the details are in the log.")}, status=500)
    return defaults.server_error(request)
