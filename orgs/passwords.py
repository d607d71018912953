"""Password rules beyond Django's own, as 等保 2.0 asks: characters of several kinds."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext

CLASSES = {
    "lower": lambda char: char in string.ascii_lowercase,
    "upper": lambda char: char in string.ascii_uppercase,
    # The digits 0–9 only: "²" or "١" is as plain to a guesser as any other character.
    "digit": lambda char: char in string.digits,
    # Anything else: punctuation, spaces, Chinese characters.
    "other": lambda char: char not in string.digits + string.ascii_letters,
}


class CharacterClassesValidator:
    """At least ``min_classes`` of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(any(test(char) for char in password) for test in CLASSES.values())
        if found < self.min_classes:
            raise ValidationError(self._rule(), code="password_too_plain")

    def get_help_text(self):
        return self._rule()

    def _rule(self):
        return ngettext(
            "Your password must mix at least %(count)d kind of character: "
            "lower-case letters, capitals, digits, other characters.",
            "Your password must mix at least %(count)d kinds of character: "
            "lower-case letters, capitals, digits, other characters.",
            self.min_classes,
        ) % {"count": self.min_classes}
