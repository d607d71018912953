from django.core.exceptions import ValidationError


class ImportRefused(ValidationError):
    """A document that cannot be imported as it is; nothing was written."""
