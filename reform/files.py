"""Stored files: kept whole or not at all, and handed only to the user who may have them.

Uploads (evidence, imported plans) are saved by ``save_upload``: a write that fails (the disk full)
leaves no partial file and tells the user plainly.

Always as an attachment under the name the user knows (RFC 6266, filename* for Chinese names),
with the type the platform worked out and ``nosniff``. With FILES_X_ACCEL_REDIRECT set (a web
server such as nginx in front, see deploy/nginx.conf) Django only checks the permission and the web
server sends the bytes from its internal location; otherwise Django streams them.
"""

import errno
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.utils.encoding import iri_to_uri
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class StorageFailed(ValidationError):
    """A file could not be written; nothing of it was kept."""


def save_upload(stored, name: str, content, *, shown_name: str) -> None:
    """Saves ``content`` as ``stored``'s file under ``name`` (a generated, unique one)."""
    target = stored.field.generate_filename(stored.instance, name)
    existed = stored.storage.exists(target)
    try:
        stored.save(name, content, save=False)
    except OSError as error:
        logger.exception("could not store %s as %s", shown_name, target)
        if not existed and stored.storage.exists(target):
            stored.storage.delete(target)  # what part of it was written
        raise StorageFailed(_storage_message(error) % {"name": shown_name}) from None


def _storage_message(error: OSError) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("The server's storage is full: “%(name)s” was not saved and nothing was submitted. Tell the staff.")
    return _("The server could not save “%(name)s”; nothing was submitted. Try again, or tell the staff.")


def file_download(stored, *, filename: str, content_type: str) -> HttpResponse:
    if settings.FILES_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = iri_to_uri(settings.FILES_X_ACCEL_REDIRECT.rstrip("/") + "/" + stored.name)
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    else:
        response = FileResponse(stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
