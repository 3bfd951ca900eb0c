"""Pure rules on needs, bids and organizations."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from contest.domain.bidding import check_bidding_open, check_price, looks_like_pdf, price_over_budget
from contest.domain.errors import DeadlinePassed, Invalid, WindowClosed
from contest.domain.needs import check_budget, check_may_submit, check_period, parse_keywords
from contest.domain.organizations import check_region_code, normalize_credit_code
from contest.domain.states import NeedStatus


@pytest.mark.parametrize("text,words", [
    ("机器视觉", ["机器视觉"]),
    ("机器视觉,缺陷检测", ["机器视觉", "缺陷检测"]),
    ("机器视觉，缺陷检测、深度学习；AI  边缘计算", ["机器视觉", "缺陷检测", "深度学习", "AI", "边缘计算"]),
    ("a, a ,b", ["a", "b"]),
])
def test_parse_keywords(text, words):
    assert parse_keywords(text) == words


@pytest.mark.parametrize("text", ["", "  ,、 ", "a,b,c,d,e,f", "x" * 21])
def test_parse_keywords_refuses(text):
    with pytest.raises(Invalid):
        parse_keywords(text)


def test_period_must_not_end_before_it_starts():
    check_period(date(2026, 1, 1), date(2026, 1, 1))
    with pytest.raises(Invalid, match="结束日期"):
        check_period(date(2026, 2, 1), date(2026, 1, 31))


@pytest.mark.parametrize("amount", ["0", "-1", "-0.01", "1.001"])
def test_budget_refuses(amount):
    with pytest.raises(Invalid):
        check_budget(Decimal(amount))


def test_budget_accepts_positive_two_decimals():
    check_budget(Decimal("0.01"))
    check_budget(Decimal("1500.50"))


def test_submit_window():
    end = date(2026, 3, 31)
    check_may_submit(NeedStatus.DRAFT, end, end)
    with pytest.raises(WindowClosed):
        check_may_submit(NeedStatus.DRAFT, end, end + timedelta(days=1))
    # A need the organizer returned may still be revised after collection closes.
    check_may_submit(NeedStatus.RETURNED, end, end + timedelta(days=10))


def test_bidding_window_closes_at_the_deadline_exactly():
    deadline = datetime(2026, 4, 30, 9, 0)
    check_bidding_open(NeedStatus.PUBLISHED, deadline, deadline - timedelta(seconds=1))
    with pytest.raises(DeadlinePassed):
        check_bidding_open(NeedStatus.PUBLISHED, deadline, deadline)
    with pytest.raises(DeadlinePassed):
        check_bidding_open(NeedStatus.SUBMITTED, deadline, deadline - timedelta(days=1))


def test_price_rules():
    assert price_over_budget(Decimal("301"), Decimal("300"))
    assert not price_over_budget(Decimal("300"), Decimal("300"))
    with pytest.raises(Invalid):
        check_price(Decimal("0"))


@pytest.mark.parametrize("head,ok", [
    (b"%PDF-1.7\n...", True),
    (b"\xef\xbb\xbf%PDF-1.4", True),
    (b"PK\x03\x04 zip", False),
    (b"\n\r\n%PDF-1.5", True),
    (b"<html>%PDF-1.4", False),  # an HTML page that mentions a PDF header is not a PDF
    (b"", False),
    (b"x" * 2000 + b"%PDF-1.4", False),
])
def test_pdf_by_content(head, ok):
    assert looks_like_pdf(head) is ok


def test_credit_code_valid_and_normalized():
    code = "91330200MA2H0U3E9" + uscc.calc_check_digit("91330200MA2H0U3E9")
    assert normalize_credit_code(f" {code[:8]} {code[8:].lower()} ") == code


@pytest.mark.parametrize("code", ["", "123", "91330200MA2H0U3E9", "9133020OMA2H0U3E9X0", "91330200MA2H0U3E9#"])
def test_credit_code_refused_with_chinese_message(code):
    with pytest.raises(Invalid, match="统一社会信用代码"):
        normalize_credit_code(code)


@given(st.from_regex(r"[0-9]{8}[0-9A-HJ-NPQRTUWXY]{9}", fullmatch=True))
def test_credit_code_check_character_decides(body):
    good = body + uscc.calc_check_digit(body)
    assert normalize_credit_code(good) == good
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    wrong = next(c for c in alphabet if c != good[-1])
    with pytest.raises(Invalid):
        normalize_credit_code(body + wrong)


@pytest.mark.parametrize("code,ok", [("330212", True), ("330200", False), ("33020", False), ("030200", False), ("3302AB", False)])
def test_region_code(code, ok):
    if ok:
        check_region_code(code)
    else:
        with pytest.raises(Invalid):
            check_region_code(code)
