"""Screening of free text for personal data: the one door every app's free text goes through.

A Norwegian national identity number (fødselsnummer or D-number, recognised by a plausible birth date and its two
mod-11 check digits) is refused outright, however it is written: the text is normalised first (NFKC, so full-width
digits become digits; invisible characters removed), and digits split by spaces, dots, hyphens or no-break spaces
are read together ("15.05.90 10023", "1505 9010 023"). Eleven digits that fail the check digits are never refused:
case numbers and the like pass. Phone numbers and e-mail addresses may belong to an organisation, so they only warn.

Every message is generic; an app adds a sentence of its own (``context``) to say what its texts are about.
"""

import re
import unicodedata
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# Groups of digits with at most three separators between them: whitespace (no-break spaces included), dots,
# hyphens and dashes.
_DIGIT_GROUPS = re.compile(r"\d+(?:[\s.\-\u2010-\u2015\u2212]{1,3}\d+)*")
_DIGITS = re.compile(r"\d+")
# Eight-digit Norwegian numbers as people write them (12345678, 123 45 678, 12 34 56 78), optionally +47/0047.
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)47 ?)?(?:\d{8}|\d{3} \d{2} \d{3}|\d{2} \d{2} \d{2} \d{2})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

IDENTITY_NUMBER_REFUSED = _(
    "This text contains what looks like a national identity number (fødselsnummer or D-number). Remove it: "
    "Trygg must never hold a person's identity number."
)
PHONE_WARNING = _("This text seems to contain a phone number. If it is a person's number, remove it.")
EMAIL_WARNING = _("This text seems to contain an e-mail address. If it is a person's address, remove it.")


def normalise(text: str) -> str:
    """NFKC (full-width and other compatibility digits become 0–9) without invisible format characters."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 11:
        return 0
    return None if remainder == 10 else remainder


def is_identity_number(number: str) -> bool:
    """Whether 11 digits are a valid fødselsnummer or D-number: a plausible birth date and both check digits."""
    if len(number) != 11 or not number.isascii() or not number.isdigit():
        return False
    digits = [int(c) for c in number]
    day, month = int(number[:2]), int(number[2:4])
    if day > 40:  # D-numbers add 4 to the first digit
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return False
    k1 = _check_digit(digits[:9], _K1_WEIGHTS)
    if k1 is None or k1 != digits[9]:
        return False
    return _check_digit(digits[:10], _K2_WEIGHTS) == digits[10]


def _candidates(text: str):
    """Every run of neighbouring digit groups with eleven digits in all, separators removed.

    A run starts and ends at a group's edge, so a longer number written without separators is never cut up.
    """
    for match in _DIGIT_GROUPS.finditer(normalise(text)):
        groups = ["".join(str(unicodedata.digit(c)) for c in group) for group in _DIGITS.findall(match.group())]
        for start in range(len(groups)):
            joined = ""
            for group in groups[start:]:
                joined += group
                if len(joined) >= 11:
                    break
            if len(joined) == 11:
                yield joined


def contains_identity_number(text: str) -> bool:
    return any(is_identity_number(candidate) for candidate in _candidates(text))


def _with_context(message, context) -> str:
    return f"{message} {context}" if context else str(message)


def refuse_identity_numbers(text: str, context: str = "") -> None:
    """Raise ValidationError when ``text`` holds a national identity number; ``context`` is added to the message."""
    if contains_identity_number(text):
        raise ValidationError(_with_context(IDENTITY_NUMBER_REFUSED, context), code="identity_number")


def validator(context: str = "") -> Callable[[str], None]:
    """A form field validator that refuses identity numbers, with the app's ``context`` (may be lazy)."""

    def validate(text: str) -> None:
        refuse_identity_numbers(text, context)

    return validate


def warnings(text: str) -> list[str]:
    """Warnings about contact details that may be a person's; saving is still allowed."""
    text = normalise(text)
    found = []
    if _PHONE.search(text):
        found.append(str(PHONE_WARNING))
    if _EMAIL.search(text):
        found.append(str(EMAIL_WARNING))
    return found
