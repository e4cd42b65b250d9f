"""Screening of free text: identity numbers refused in any disguise, nothing failing mod 11 refused, contacts warned."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from trygg.core import screening

# A valid fødselsnummer (01.01.1990) and a D-number (41.01.1990 = 01.01.1990 + 40); both made up.
FNR, D_NUMBER = "01019012480", "41019012393"
# What may stand between the digits: separators people type, and characters that look like nothing at all.
SEPARATORS = [" ", ".", "-", "\u00a0", "\u202f", "\u200b", "\u2060", "\ufeff", ". ", " - ", "\u2013"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _check(digits, weights):
    remainder = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    return 0 if remainder == 11 else remainder


def _nine_digits(born, individual, d_number):
    day = born.day + (40 if d_number else 0)
    return [int(c) for c in f"{day:02d}{born.month:02d}{born.year % 100:02d}{individual:03d}"]


def _check_digits(nine):
    k1 = _check(nine, (3, 7, 6, 1, 8, 9, 4, 5, 2))
    return k1, _check([*nine, k1], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))


BIRTHS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2039, 12, 31))
# Text around a number: anything but digits and what NFKC turns into digits (categories N*).
TEXT = st.text(alphabet=st.characters(blacklist_categories=["Nd", "Nl", "No", "Cs"]), max_size=40)


@st.composite
def identity_numbers(draw):
    nine = _nine_digits(draw(BIRTHS), draw(st.integers(0, 999)), draw(st.booleans()))
    k1, k2 = _check_digits(nine)
    assume(10 not in (k1, k2))  # no person is given such a number
    return "".join(map(str, [*nine, k1, k2]))


@st.composite
def disguised(draw, number):
    """The number cut into groups at random places, joined by random separators, perhaps in full-width digits."""
    cuts = sorted(draw(st.sets(st.integers(1, 10), max_size=5)))
    groups = [number[a:b] for a, b in zip([0, *cuts], [*cuts, 11], strict=True)]
    text = groups[0] + "".join(draw(st.sampled_from(SEPARATORS)) + group for group in groups[1:])
    return text.translate(FULL_WIDTH) if draw(st.booleans()) else text


@given(data=st.data(), before=TEXT, after=TEXT)
def test_a_valid_identity_number_is_refused_in_any_disguise(data, before, after):
    number = data.draw(identity_numbers())
    text = f"{before} {data.draw(disguised(number))} {after}"
    assert screening.contains_identity_number(text)
    with pytest.raises(ValidationError):
        screening.refuse_identity_numbers(text)


@given(data=st.data(), born=BIRTHS, individual=st.integers(0, 999), d_number=st.booleans(), k=st.integers(0, 99))
def test_digits_failing_the_check_digits_are_never_refused(data, born, individual, d_number, k):
    nine = _nine_digits(born, individual, d_number)
    tail = [k // 10, k % 10]
    if tail == list(_check_digits(nine)):
        return
    number = "".join(map(str, [*nine, *tail]))
    assert not screening.is_identity_number(number)
    text = f"Saksnummer {data.draw(disguised(number))}."
    assert not screening.contains_identity_number(text)
    screening.refuse_identity_numbers(text)


@given(st.text(alphabet="0123456789 .-\u00a0\u200b", max_size=60))
def test_a_refused_text_always_holds_eleven_digits_that_pass_mod_11(text):
    if screening.contains_identity_number(text):
        digits = "".join(c for c in text if c.isdigit())
        assert any(screening.is_identity_number(digits[i : i + 11]) for i in range(len(digits) - 10))


@pytest.mark.parametrize(
    "text",
    [
        f"Lederen har fnr {FNR}.",
        f"{FNR[:6]} {FNR[6:]}",
        f"D-nummer {D_NUMBER}",
        "15.05.90 10023",
        "1505 9010 023",
        "150590-10023",
        "15\u00a005\u00a090\u00a010023",
        "1505\u200b9010023",
        "１５０５９０１００２３",
        f"Ring 22 33 44 55 {FNR}",
    ],
)
def test_identity_numbers_as_people_write_them_are_caught(text):
    assert screening.contains_identity_number(text)


@pytest.mark.parametrize("text", ["15.05.90 10024", "Sak 2024/01019012480123", "Klokka 15.05, 90 deltakere"])
def test_other_numbers_pass(text):
    assert not screening.contains_identity_number(text)


def test_the_message_is_generic_and_takes_the_apps_context():
    with translation.override("en"), pytest.raises(ValidationError) as error:
        screening.validator("Cases describe the situation, not the person.")(f"fnr {FNR}")
    [message] = error.value.messages
    assert "national identity number" in message
    assert message.endswith("Cases describe the situation, not the person.")
    assert error.value.error_list[0].code == "identity_number"


@pytest.mark.parametrize(
    ("text", "warned"),
    [
        ("Ring 91234567", 1),
        ("tlf. +47 912 34 567", 1),
        ("0047 22 33 44 55", 1),
        ("Ring ９１２３４５６７", 1),
        ("post@klubb.example.no", 1),
        ("Ring 91234567 eller skriv til a.b@c.no", 2),
        ("Klubben har 25 medlemmer siden 2011", 0),
        (f"fnr {FNR}", 0),
    ],
)
def test_phone_numbers_and_email_addresses_are_warned(text, warned):
    assert len(screening.warnings(text)) == warned
