"""Amounts in words (大写金额) per the People's Bank of China rules for filling in payment documents.

《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》, as summarised in DOMAIN.md ("Contracts"):

* only 零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整, with "人民币" directly before the amount;
* an amount ending at 元 ends with 整; an amount ending at 角 is written WITHOUT 整 (DOMAIN.md's example:
  1,409.50 → 人民币壹仟肆佰零玖元伍角 — the rules allow 整 after 角, we choose not to); never 整 after 分;
* a leading 拾 is written 壹拾 (10 → 壹拾元整); every 拾 is written with its digit, so inside a number a
  拾 after 零 is 零壹拾 (1,010 → 壹仟零壹拾元整);
* a run of zeros between two non-zero digits is written as a single 零 (1,409 → 壹仟肆佰零玖), also across
  an all-zero 万 section (100,000,001 → 壹亿零壹元整). Zeros at the end of a 万 or 亿 section are carried by
  that unit and write no 零 (PBoC's own example 107,000.53 → 壹拾万柒仟元零伍角叁分);
* when the 元 digit is 0 and 角 is not, one 零 follows 元 (PBoC: 1,680.32 → 壹仟陆佰捌拾元零叁角贰分);
  when 角 is 0 and 分 is not, one 零 stands for it (325.04 → 叁佰贰拾伍元零肆分, also 1,680.02 →
  壹仟陆佰捌拾元零贰分 — still a single 零);
* below 1 元 the words start at the first non-zero place, with no 零 in front: 0.05 → 人民币伍分.

Accepted input: a `Decimal` or an `int` (not `bool`), from 0.01 to 999,999,999,999.99 inclusive, with at
most two decimal places *in value* — `Decimal("1.10")` and `Decimal("1.100")` are 1.1 and accepted,
`Decimal("1.001")` is refused (the test is `amount == amount.quantize(Decimal("0.01"))`). Everything else
raises ValueError: a float (money is never float), a str or any other type, NaN or Infinity, zero, a
negative amount, more than two decimals, or an amount above the maximum.
"""
from __future__ import annotations

from decimal import Context, Decimal, localcontext

RMB_MIN = Decimal("0.01")
RMB_MAX = Decimal("999999999999.99")
PREFIX = "人民币"
ALLOWED = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")          # place inside a four-digit section
_SECTIONS = ("", "万", "亿")              # unit of the section: ones, 万, 亿
_CENT = Decimal("0.01")


def _cents(amount: object) -> int:
    """The amount as a whole number of 分, after checking it; ValueError if it is not acceptable."""
    if isinstance(amount, bool) or not isinstance(amount, (int, Decimal)):
        # float is refused here too: money is Decimal everywhere, never float.
        raise ValueError(f"the amount must be a Decimal or an int, not {type(amount).__name__}")
    # A generous private context: the caller's context (precision, traps) must not change the result.
    with localcontext(Context(prec=60)):
        value = Decimal(amount)
        if not value.is_finite():
            raise ValueError("the amount must be finite")
        if value < 0:
            raise ValueError("the amount must not be negative")
        if value == 0:
            raise ValueError("the amount must not be zero")
        if value > RMB_MAX:
            raise ValueError(f"the amount must not exceed {RMB_MAX}")
        if value != value.quantize(_CENT):
            raise ValueError("the amount must have at most two decimals")
        # value >= 0.01 follows: positive with at most two decimals.
        return int(value * 100)


def _integer_words(yuan: int) -> str:
    """The 元 part (yuan >= 1) in words, without 元."""
    digits = [int(c) for c in str(yuan)]
    width = len(digits)
    words: list[str] = []
    zero_pending = False   # a zero seen after a written digit, to be written once before the next digit
    for index, digit in enumerate(digits):
        position = width - 1 - index          # 0 = 元 place, 4 = 万, 8 = 亿
        if digit == 0:
            zero_pending = True               # nothing is written yet before the first digit (no leading 0)
        else:
            if zero_pending:
                words.append("零")
                zero_pending = False
            words.append(_DIGITS[digit] + _PLACES[position % 4])
        if position % 4 == 0 and position > 0:
            section = digits[max(0, index - 3):index + 1]
            if any(section):
                words.append(_SECTIONS[position // 4])
                # Zeros at the end of the section are carried by 万/亿: 10,7000 → 壹拾万柒仟.
                zero_pending = False
    return "".join(words)


def rmb_upper(amount: Decimal | int) -> str:
    """The amount in words with the 人民币 prefix: 72500000 → "人民币柒仟贰佰伍拾万元整".

    Raises ValueError for anything outside 0.01 … 999,999,999,999.99 with two decimals (see module doc).
    """
    cents = _cents(amount)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)
    parts = [PREFIX]
    if yuan:
        parts.append(_integer_words(yuan) + "元")
        if jiao == 0 and fen == 0:
            parts.append("整")
        elif jiao == 0:
            parts.append("零")               # 325.04 → 叁佰贰拾伍元零肆分
        elif yuan % 10 == 0:
            parts.append("零")               # 1,680.32 → 壹仟陆佰捌拾元零叁角贰分
    if jiao:
        parts.append(_DIGITS[jiao] + "角")   # no 整 after 角 (DOMAIN.md: 1,409.50 → …零玖元伍角)
    if fen:
        parts.append(_DIGITS[fen] + "分")    # never 整 after 分
    return "".join(parts)
