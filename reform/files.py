"""Stored files handed to the user who may have them: evidence, imported plans, generated reports.

Always as an attachment under the name the user knows (RFC 6266, filename* for Chinese names),
with the type the platform worked out and ``nosniff``. With FILES_X_ACCEL_REDIRECT set (a web
server such as nginx in front, see deploy/nginx.conf) Django only checks the permission and the web
server sends the bytes from its internal location; otherwise Django streams them.
"""

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header


def file_download(stored, *, filename: str, content_type: str) -> HttpResponse:
    if settings.FILES_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = iri_to_uri(settings.FILES_X_ACCEL_REDIRECT.rstrip("/") + "/" + stored.name)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    else:
        response = FileResponse(stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
