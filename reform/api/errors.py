"""The services' refusals as HTTP answers: the same messages the browser shows."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from reform.values import BadValue, id_number, version_number
from tasks.services.assignments import StaleObjectError


def exception_handler(error, context):
    if isinstance(error, ObjectDoesNotExist):
        # Another unit's object and one that does not exist answer alike.
        return Response({"detail": _first(error)}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(error, StaleObjectError):
        return Response({"detail": " ".join(error.messages)}, status=status.HTTP_409_CONFLICT)
    if isinstance(error, DjangoValidationError):
        if hasattr(error, "error_dict"):
            return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)
    answer = drf_exception_handler(error, context)
    if answer is not None and isinstance(answer.data, list):
        # DRF's own refusals may be a bare list (a search term with a NUL in it): one shape for all.
        answer.data = {"detail": " ".join(str(item) for item in answer.data)}
    return answer


def _first(error) -> str:
    return str(error.args[0]) if error.args else "Not found."


def id_of(pk) -> int:
    """An id from the address; anything else names nothing (404, not a server error)."""
    try:
        return id_number(pk)
    except BadValue:
        raise NotFound from None


def expected_version(request, given: int | None) -> int | None:
    """The version the caller last saw: in the body, else in If-Match (the ETag a read gave)."""
    if given is not None:
        return given
    header = request.headers.get("If-Match", "").strip()
    if header == "*":  # any version will do
        return None
    try:
        return version_number(header)
    except BadValue as error:
        raise ValidationError({"If-Match": [str(error.message)]}) from None
