"""rmb_upper: amounts in words per the People's Bank of China rules (DOMAIN.md, "Contracts")."""
from __future__ import annotations

import re
from decimal import Decimal, localcontext

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from contest.domain.money import RMB_MAX, RMB_MIN, rmb_upper

ALLOWED = set("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")
DIGITS = "零壹贰叁肆伍陆柒捌玖"
MAX_CENTS = 99_999_999_999_999


def D(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


# --- worked examples --------------------------------------------------------------------------------------

DOMAIN_EXAMPLES = [
    ("72,500,000", "人民币柒仟贰佰伍拾万元整"),
    ("1,409.50", "人民币壹仟肆佰零玖元伍角"),
    ("16,409.02", "人民币壹万陆仟肆佰零玖元零贰分"),
]

PBOC_EXAMPLES = [
    ("1,409.50", "人民币壹仟肆佰零玖元伍角"),
    ("6,007.14", "人民币陆仟零柒元壹角肆分"),
    ("1,680.32", "人民币壹仟陆佰捌拾元零叁角贰分"),
    ("107,000.53", "人民币壹拾万柒仟元零伍角叁分"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
]

OTHER_EXAMPLES = [
    # a leading 拾 is 壹拾
    ("10", "人民币壹拾元整"),
    ("100,000", "人民币壹拾万元整"),
    ("1,000,000,000", "人民币壹拾亿元整"),
    ("15", "人民币壹拾伍元整"),
    # a 拾 inside a number keeps its digit too
    ("1,010", "人民币壹仟零壹拾元整"),
    ("110", "人民币壹佰壹拾元整"),
    ("1,000,010", "人民币壹佰万零壹拾元整"),
    # below 1 元
    ("0.50", "人民币伍角"),
    ("0.05", "人民币伍分"),
    ("0.01", "人民币壹分"),
    ("0.15", "人民币壹角伍分"),
    ("0.10", "人民币壹角"),
    # 万 and 亿 sections
    ("100,000,001", "人民币壹亿零壹元整"),
    ("100,010,000", "人民币壹亿零壹万元整"),
    ("1,000,000.00", "人民币壹佰万元整"),
    ("10,000,000,000", "人民币壹佰亿元整"),
    ("200,000,000", "人民币贰亿元整"),
    ("20,000", "人民币贰万元整"),
    ("200,005,000", "人民币贰亿零伍仟元整"),
    ("110,000,000", "人民币壹亿壹仟万元整"),
    ("101,000,000", "人民币壹亿零壹佰万元整"),
    ("1,000,000,001", "人民币壹拾亿零壹元整"),
    ("10,001,000", "人民币壹仟万壹仟元整"),  # zeros ending the 万 section: no 零 (as 107,000)
    ("10,000,100", "人民币壹仟万零壹佰元整"),
    ("10,500", "人民币壹万零伍佰元整"),
    ("15,000", "人民币壹万伍仟元整"),
    ("1,000,100", "人民币壹佰万零壹佰元整"),
    ("100,000,000,000", "人民币壹仟亿元整"),
    ("999,999,999,999.99", "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    # the 元 digit is zero: 零 before 角, a single 零 before 分
    ("10.50", "人民币壹拾元零伍角"),
    ("1,680.02", "人民币壹仟陆佰捌拾元零贰分"),
    ("100,000.50", "人民币壹拾万元零伍角"),
    ("1.50", "人民币壹元伍角"),
    ("1.05", "人民币壹元零伍分"),
    ("1", "人民币壹元整"),
]


@pytest.mark.parametrize("figures, words", DOMAIN_EXAMPLES + PBOC_EXAMPLES + OTHER_EXAMPLES)
def test_worked_examples(figures, words):
    assert rmb_upper(D(figures)) == words


# --- zeros in every position -----------------------------------------------------------------------------

A = "壹仟壹佰壹拾壹"  # a four-digit section of ones
ALL_ONES = D("111,111,111,111.11")

# 1 everywhere from 分 to 仟亿, except a 0 at one place; expectations written by hand.
ZERO_AT = {
    "分": ("111,111,111,111.10", f"人民币{A}亿{A}万{A}元壹角"),
    "角": ("111,111,111,111.01", f"人民币{A}亿{A}万{A}元零壹分"),
    "元": ("111,111,111,110.11", f"人民币{A}亿{A}万壹仟壹佰壹拾元零壹角壹分"),
    "拾": ("111,111,111,101.11", f"人民币{A}亿{A}万壹仟壹佰零壹元壹角壹分"),
    "佰": ("111,111,111,011.11", f"人民币{A}亿{A}万壹仟零壹拾壹元壹角壹分"),
    "仟": ("111,111,110,111.11", f"人民币{A}亿{A}万零壹佰壹拾壹元壹角壹分"),
    "万": ("111,111,101,111.11", f"人民币{A}亿壹仟壹佰壹拾万{A}元壹角壹分"),
    "拾万": ("111,111,011,111.11", f"人民币{A}亿壹仟壹佰零壹万{A}元壹角壹分"),
    "佰万": ("111,110,111,111.11", f"人民币{A}亿壹仟零壹拾壹万{A}元壹角壹分"),
    "仟万": ("111,101,111,111.11", f"人民币{A}亿零壹佰壹拾壹万{A}元壹角壹分"),
    "亿": ("111,011,111,111.11", f"人民币壹仟壹佰壹拾亿{A}万{A}元壹角壹分"),
    "拾亿": ("110,111,111,111.11", f"人民币壹仟壹佰零壹亿{A}万{A}元壹角壹分"),
    "佰亿": ("101,111,111,111.11", f"人民币壹仟零壹拾壹亿{A}万{A}元壹角壹分"),
    "仟亿": ("011,111,111,111.11", f"人民币壹佰壹拾壹亿{A}万{A}元壹角壹分"),
}


def test_all_ones():
    assert rmb_upper(ALL_ONES) == f"人民币{A}亿{A}万{A}元壹角壹分"


def test_zero_table_is_the_all_ones_number_with_one_zero():
    # guards the hand-written table itself: position k (0 = 分) holds the only zero
    for k, (figures, _) in enumerate(ZERO_AT.values()):
        assert D(figures) == ALL_ONES - Decimal(10) ** (k - 2)


@pytest.mark.parametrize("place", list(ZERO_AT))
def test_zero_in_every_position(place):
    figures, words = ZERO_AT[place]
    assert rmb_upper(D(figures)) == words


# one non-zero digit, at each place from 分 to 仟亿
SINGLE_ONE = [
    ("0.01", "人民币壹分"), ("0.1", "人民币壹角"), ("1", "人民币壹元整"), ("10", "人民币壹拾元整"),
    ("100", "人民币壹佰元整"), ("1000", "人民币壹仟元整"), ("1e4", "人民币壹万元整"),
    ("1e5", "人民币壹拾万元整"), ("1e6", "人民币壹佰万元整"), ("1e7", "人民币壹仟万元整"),
    ("1e8", "人民币壹亿元整"), ("1e9", "人民币壹拾亿元整"), ("1e10", "人民币壹佰亿元整"),
    ("1e11", "人民币壹仟亿元整"),
]


@pytest.mark.parametrize("figures, words", SINGLE_ONE)
def test_a_single_digit_in_every_position(figures, words):
    assert rmb_upper(Decimal(figures)) == words


# --- bounds and accepted input ---------------------------------------------------------------------------

def test_bounds():
    assert RMB_MIN == Decimal("0.01") and RMB_MAX == Decimal("999999999999.99")
    assert rmb_upper(Decimal("0.01")) == "人民币壹分"
    assert rmb_upper(Decimal("999999999999.99")) == (
        "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分")
    assert rmb_upper(999_999_999_999) == "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整"


def test_ints_and_trailing_zeros_are_accepted():
    assert rmb_upper(72_500_000) == "人民币柒仟贰佰伍拾万元整"
    assert rmb_upper(Decimal("1.10")) == rmb_upper(Decimal("1.1")) == rmb_upper(Decimal("1.100")) == (
        "人民币壹元壹角")
    assert rmb_upper(Decimal("1E+2")) == "人民币壹佰元整"
    assert rmb_upper(Decimal("5.000000")) == "人民币伍元整"


def test_the_callers_decimal_context_does_not_matter():
    with localcontext() as ctx:
        ctx.prec = 3
        assert rmb_upper(Decimal("999999999999.99")).endswith("玖元玖角玖分")
        with pytest.raises(ValueError):
            rmb_upper(Decimal("1.001"))


# --- errors ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [
    1.5, 0.01, 100.0, float("nan"),                      # floats, never
    "100", "1.50", None, True, False, [1],               # not a number type
    Decimal("0"), Decimal("0.00"), Decimal("-0"), 0,     # zero
    Decimal("-0.01"), Decimal("-100"), -1,               # negative
    Decimal("1.001"), Decimal("0.001"), Decimal("0.005"), Decimal("1E-30"),  # more than two decimals
    Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"),
    Decimal("1000000000000"), Decimal("999999999999.991"), Decimal("1e12"), 10**12, Decimal("1e40"),
])
def test_errors(bad):
    with pytest.raises(ValueError):
        rmb_upper(bad)


# --- an independent reference: full writing then rewriting (not the digit scan of the module) -------------

def reference_upper(cents: int) -> str:
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    out = "人民币"
    if yuan:
        units = ["元", "拾", "佰", "仟", "万", "拾", "佰", "仟", "亿", "拾", "佰", "仟"]
        text = str(yuan)
        full = "".join(DIGITS[int(c)] + units[len(text) - 1 - i] for i, c in enumerate(text))
        # 零拾 → 零 … then collapse, and let 万/亿/元 absorb the zeros at the end of their section
        previous = None
        while previous != full:
            previous = full
            full = re.sub("零[拾佰仟]", "零", full)
            full = re.sub("零+", "零", full)
            full = re.sub("零([万亿元])", r"\1", full)
            full = full.replace("亿万", "亿零")   # an all-zero 万 section between two non-zero parts
            full = full.replace("零元", "元")
        out += full
        if rest == 0:
            return out + "整"
        if jiao == 0 or yuan % 10 == 0:
            out += "零"
    if jiao:
        out += DIGITS[jiao] + "角"
    if fen:
        out += DIGITS[fen] + "分"
    return out


def test_reference_agrees_with_the_hand_written_examples():
    for figures, words in DOMAIN_EXAMPLES + PBOC_EXAMPLES + OTHER_EXAMPLES + list(ZERO_AT.values()):
        assert reference_upper(int(D(figures) * 100)) == words, figures


# --- an independent parser: words back to a Decimal --------------------------------------------------------

def parse_upper(words: str) -> Decimal:
    assert words.startswith("人民币")
    body = words[len("人民币"):]
    integer, _, fraction = body.rpartition("元") if "元" in body else ("", "", body)
    total = 0         # completed 亿 part, then 万 part
    section = 0       # the current four-digit section
    digit = 0
    for ch in integer:
        if ch in DIGITS:
            digit = DIGITS.index(ch)
        elif ch in "拾佰仟":
            assert digit, f"{ch} without a digit in {words}"
            section += digit * {"拾": 10, "佰": 100, "仟": 1000}[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
        else:
            raise AssertionError(f"unexpected {ch} in {words}")
    yuan = total + section + digit
    cents = 0
    m = re.fullmatch(r"零?(?:([壹贰叁肆伍陆柒捌玖])角)?(?:([壹贰叁肆伍陆柒捌玖])分)?(整)?", fraction)
    assert m, f"bad fraction {fraction!r} in {words}"
    if m.group(1):
        cents += 10 * DIGITS.index(m.group(1))
    if m.group(2):
        cents += DIGITS.index(m.group(2))
    return Decimal(yuan * 100 + cents).scaleb(-2)


def test_parser_on_examples():
    for figures, words in DOMAIN_EXAMPLES + PBOC_EXAMPLES + OTHER_EXAMPLES + list(ZERO_AT.values()):
        assert parse_upper(words) == D(figures), figures


# --- properties ------------------------------------------------------------------------------------------

uniform_cents = st.integers(min_value=1, max_value=MAX_CENTS)
# amounts full of zeros: each of the 14 places is 0 more often than not
zero_heavy_cents = st.lists(
    st.sampled_from([0, 0, 0, 0, 1, 2, 5, 9]), min_size=1, max_size=14,
).map(lambda ds: int("".join(map(str, ds)))).filter(lambda c: c > 0)
any_cents = st.one_of(uniform_cents, zero_heavy_cents)


def as_amount(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


@settings(max_examples=1500)
@given(any_cents)
@example(1)
@example(MAX_CENTS)
def test_properties_of_the_words(cents):
    words = rmb_upper(as_amount(cents))
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    assert words.startswith("人民币")
    body = words[3:]
    assert body and set(body) <= ALLOWED
    assert "零零" not in words
    assert "分整" not in words
    assert body[0] in DIGITS[1:]                     # never starts with 拾 (nor 零, nor a unit)
    assert words.count("整") <= 1 and ("整" not in words or words.endswith("元整"))
    assert words.endswith("整") == (rest == 0)
    assert words.endswith("角") == (jiao != 0 and fen == 0)
    assert words.endswith("分") == (fen != 0)
    assert ("元" in words) == (yuan != 0)
    assert not body.endswith("零")
    for i, ch in enumerate(body):
        if ch in "拾佰仟角分":
            assert body[i - 1] in DIGITS[1:], words  # every place is written with its non-zero digit
        if ch == "零":
            assert body[i + 1] in DIGITS[1:], words  # a 零 is followed by a digit, never by a unit
        if ch in "万亿元":
            assert body[i - 1] != "零", words


@settings(max_examples=1500)
@given(any_cents)
def test_round_trip(cents):
    amount = as_amount(cents)
    assert parse_upper(rmb_upper(amount)) == amount


@settings(max_examples=1500)
@given(any_cents)
def test_matches_the_independent_reference(cents):
    assert rmb_upper(as_amount(cents)) == reference_upper(cents)


@given(uniform_cents, st.integers(min_value=0, max_value=4))
def test_extra_trailing_zeros_do_not_change_the_words(cents, extra):
    amount = as_amount(cents)
    padded = amount.quantize(Decimal(1).scaleb(-2 - extra))
    assert rmb_upper(padded) == rmb_upper(amount)


@given(uniform_cents, st.integers(min_value=1, max_value=9))
def test_a_third_decimal_is_refused(cents, thousandth):
    with pytest.raises(ValueError):
        rmb_upper(as_amount(cents) + Decimal(thousandth).scaleb(-3))


@given(st.integers(min_value=1, max_value=MAX_CENTS))
def test_negatives_are_refused(cents):
    with pytest.raises(ValueError):
        rmb_upper(-as_amount(cents))


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_floats_are_refused(value):
    with pytest.raises(ValueError):
        rmb_upper(value)
