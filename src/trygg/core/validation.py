"""One door for what people type, whichever way it comes in: forms, the API, the admin or a command.

The rules live on the models (field validators and ``clean``) and here; forms meet them through model validation
and the API through the services, which validate before they write. Text is stored in Unicode NFC, so a "Å" typed
as A + ring is the same "Å" that search, uniqueness and sorting expect.
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The largest numbers PostgreSQL's integer and smallint columns hold; SQLite would take more, so say it ourselves.
MAX_INTEGER = 2**31 - 1
MAX_SMALL_INTEGER = 2**15 - 1
max_integer = MaxValueValidator(MAX_INTEGER)
max_small_integer = MaxValueValidator(MAX_SMALL_INTEGER)

# A date further ahead than this is a typing error (year 9999), and would overflow date arithmetic.
YEARS_AHEAD = 10
EARLIEST_YEAR = 2000

# One character a reader can see: not a space, control or format character (zero-width space, joiners, BOM) nor a
# filler. Written with escapes that Python and JSON Schema read alike, so the API's document states the same rule.
VISIBLE = (
    r"[^\x00-\x20\x7f-\xa0\xad\u115f\u1160\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f"
    r"\u2800\u3000\u3164\ufeff\uffa0]"
)
_VISIBLE = re.compile(VISIBLE)


def nfc(value):
    """``value`` with every string in it (also inside lists and dicts) in Unicode NFC."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list | tuple):
        return type(value)(nfc(item) for item in value)
    if isinstance(value, dict):
        return {nfc(key): nfc(item) for key, item in value.items()}
    return value


def visible(value: str) -> bool:
    """Whether ``value`` holds at least one character a reader can see."""
    return bool(_VISIBLE.search(value))


def validate_visible(value: str) -> None:
    """Refuse a name or title of only spaces or invisible characters (empty is the field's ``blank`` to judge)."""
    if value and not visible(value):
        raise ValidationError(_("Write it with visible characters, not only spaces or invisible ones."), "invisible")


def validate_reasonable_date(value: dt.date | dt.datetime) -> None:
    """Refuse dates before 2000 or more than ten years ahead."""
    latest = timezone.localdate().year + YEARS_AHEAD
    if not EARLIEST_YEAR <= value.year <= latest:
        raise ValidationError(
            _("Choose a date between the years %(earliest)d and %(latest)d."),
            "unreasonable_date",
            {"earliest": EARLIEST_YEAR, "latest": latest},
        )


def normalise_text(sender, instance, raw=False, **kwargs) -> None:
    """``pre_save``: store every text and JSON field of Trygg's models in NFC, whichever door the data came in by."""
    if raw or not sender.__module__.startswith("trygg."):
        return
    for field in sender._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField | models.JSONField):
            value = getattr(instance, field.attname)
            if (normalised := nfc(value)) != value:
                setattr(instance, field.attname, normalised)
