"""Logs a machine can read: one JSON object a line, each naming the request it came from, so that an
error a user reports by its number (shown on the error page) is found in the log."""

import contextvars
import datetime
import json
import logging
import re
import uuid

from django.utils import timezone

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

# An id a proxy in front may have given the request; anything else is replaced by our own.
_GIVEN_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives each request an id (the X-Request-ID a proxy sent, when it is sound), kept for its log
    lines and sent back in the answer's X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if _GIVEN_ID.match(given) else uuid.uuid4().hex
        token = request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id.get()
        return True


class RefusalWithoutTraceback(logging.Filter):
    """A refusal — a 4xx Django logs as a warning (a 403 with the PermissionDenied raised), or a
    suspicious request (a host not allowed) — is one line, its message: the traceback says nothing the
    message does not, and would bury the real faults. A 5xx keeps its traceback."""

    def filter(self, record):
        refused = record.name.startswith("django.security") or (
            record.name == "django.request" and getattr(record, "status_code", 500) < 500
        )
        if refused:
            record.exc_info, record.exc_text = None, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": timezone.localtime(datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
