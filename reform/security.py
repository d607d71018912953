"""Response headers that browsers enforce (the content security policy), and the request size limit.

Django 5.2 sets the others itself (SecurityMiddleware: HSTS, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy; XFrameOptionsMiddleware); the policy is ours. No page of the
platform runs inline script or loads anything from another origin, so the policy says so.
"""

from functools import wraps

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from reform.values import declared_length

HEADER = "Content-Security-Policy"


def policy(*, inline_styles: bool = False) -> str:
    styles = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": styles,
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sends the policy with every response that has none of its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = policy()

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault(HEADER, self.header)
        return response


def allow_inline_styles(view):
    """For the API's documentation pages (Swagger UI, ReDoc), which style their elements from
    script; still no inline script runs there."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers[HEADER] = policy(inline_styles=True)
        return response

    return wrapped


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body exceeds REQUEST_MAX_BYTES before reading any of it.

    A body without a declared length is bounded by the web server (client_max_body_size) and, for
    form fields, by Django's DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = declared_length(request)
        if declared > settings.REQUEST_MAX_BYTES:
            return too_large(request, declared)
        return self.get_response(request)


def too_large(request, declared: int) -> HttpResponse:
    message = _("The upload is %(size)s; at most %(limit)s can be sent at once.") % {
        "size": filesizeformat(declared),
        "limit": filesizeformat(settings.REQUEST_MAX_BYTES),
    }
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "request_too_large"}, status=413)
    return render(request, "refused.html", {"message": message}, status=413)


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
SMALL_BODY = 256 * 1024


class NulCharacterMiddleware:
    """Refuses a page request whose fields hold a NUL: no one types one, PostgreSQL cannot store one,
    and a view reading a field without a form would otherwise fail on it. (The API's serializers refuse
    it field by field.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/") and _holds_nul(request):
            message = _("The request holds a character that cannot be kept (NUL). Nothing was changed.")
            return render(request, "refused.html", {"message": message, "title": _("Request refused")}, status=400)
        return self.get_response(request)


def _holds_nul(request) -> bool:
    fields = [request.GET]
    if request.method == "POST" and request.content_type in FORM_TYPES and declared_length(request) <= SMALL_BODY:
        # Fields, and small files with them; a larger body holds uploads, left to the view (its size
        # limits first) and its forms, which refuse a NUL themselves.
        fields.append(request.POST)
    return any(
        "\x00" in key or any("\x00" in value for value in values) for data in fields for key, values in data.lists()
    )
