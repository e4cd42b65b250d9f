"""Screening of free text in situation reports for personal data: the one door every free-text answer goes through.

Reports describe organisations and phenomena, never named persons. A Norwegian national identity number
(fødselsnummer or D-number, recognised by its two mod-11 check digits) is refused outright; phone numbers and
e-mail addresses may belong to an organisation, so they only give a warning.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Eleven digits, optionally written "DDMMYY NNNNN" or "DDMMYY-NNNNN", not part of a longer number.
_IDENTITY_CANDIDATE = re.compile(r"(?<!\d)(\d{6})[ -]?(\d{5})(?!\d)")
_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# Eight-digit Norwegian numbers as people write them (12345678, 123 45 678, 12 34 56 78), optionally +47/0047.
_PHONE = re.compile(r"(?<![\d+])(?:(?:\+|00)47 ?)?(?:\d{8}|\d{3} \d{2} \d{3}|\d{2} \d{2} \d{2} \d{2})(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

IDENTITY_NUMBER_REFUSED = _(
    "This text contains what looks like a national identity number (fødselsnummer or D-number). Situation "
    "reports describe organisations and phenomena, never named persons: remove the number."
)
PHONE_WARNING = _(
    "This text seems to contain a phone number. If it is a person's number, remove it: reports describe "
    "organisations, never named persons."
)
EMAIL_WARNING = _(
    "This text seems to contain an e-mail address. If it is a person's address, remove it: reports describe "
    "organisations, never named persons."
)


def _check_digit(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
    if remainder == 11:
        return 0
    return None if remainder == 10 else remainder


def is_identity_number(number: str) -> bool:
    """Whether 11 digits are a valid fødselsnummer or D-number: a plausible birth date and both check digits."""
    if len(number) != 11 or not number.isdigit():
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


def contains_identity_number(text: str) -> bool:
    return any(is_identity_number(a + b) for a, b in _IDENTITY_CANDIDATE.findall(text or ""))


def refuse_identity_numbers(text: str) -> None:
    """Validator for every free-text answer: a national identity number anywhere is refused."""
    if contains_identity_number(text):
        raise ValidationError(IDENTITY_NUMBER_REFUSED, code="identity_number")


def warnings(text: str) -> list[str]:
    """Warnings about contact details that may be a person's; saving is still allowed."""
    text = text or ""
    found = []
    if _PHONE.search(text):
        found.append(str(PHONE_WARNING))
    if _EMAIL.search(text):
        found.append(str(EMAIL_WARNING))
    return found
