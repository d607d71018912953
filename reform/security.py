"""Response headers that browsers enforce: the content security policy.

Django 5.2 sets the others itself (SecurityMiddleware: HSTS, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy; XFrameOptionsMiddleware); the policy is ours. No page of the
platform runs inline script or loads anything from another origin, so the policy says so.
"""

from functools import wraps

from django.conf import settings

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
