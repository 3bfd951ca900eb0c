"""Rubric rules: criteria summing to 100, and the points a judge may give."""
from decimal import Decimal

import pytest

from contest.domain.errors import Invalid
from contest.domain.rubric import DEFAULT_RUBRICS, Criterion, Round, check_rubric, parse_points


def test_the_online_default_is_domain_md():
    assert [(c.name, c.max_points) for c in DEFAULT_RUBRICS[Round.ONLINE]] == [
        ("技术创新性", 30), ("方案可行性与技术路线", 25), ("团队能力与研发基础", 20),
        ("经济性与报价合理性", 15), ("需求匹配度与交付计划", 10),
    ]


@pytest.mark.parametrize("round_", list(Round))
def test_defaults_are_valid(round_):
    check_rubric(DEFAULT_RUBRICS[round_])


@pytest.mark.parametrize("criteria,message", [
    ([], "至少"),
    ([Criterion("甲", "", Decimal("60")), Criterion("乙", "", Decimal("30"))], "之和须为 100"),
    ([Criterion("甲", "", Decimal("50")), Criterion("甲", "", Decimal("50"))], "不能重复"),
    ([Criterion(" ", "", Decimal("100"))], "需要名称"),
    ([Criterion("甲", "", Decimal("99.95")), Criterion("乙", "", Decimal("0.05"))], "一位小数"),
    ([Criterion("甲", "", Decimal("110")), Criterion("乙", "", Decimal("-10"))], "正数"),
    ([Criterion("甲", "", Decimal("1e30")), Criterion("乙", "", Decimal("30"))], "正数"),   # not an overflow
])
def test_bad_rubrics_refused(criteria, message):
    with pytest.raises(Invalid, match=message):
        check_rubric(criteria)


@pytest.mark.parametrize("raw,expected", [("0", "0.0"), ("30", "30.0"), ("12.5", "12.5"), (" 7.0 ", "7.0")])
def test_points_accepted(raw, expected):
    assert parse_points(raw, Decimal("30"), "技术创新性") == Decimal(expected)


@pytest.mark.parametrize("raw,message", [
    ("-0.1", "0 至 30"), ("30.1", "0 至 30"), ("abc", "不是数字"), ("12.55", "一位小数"), ("", "请为指标"),
    (None, "请为指标"), ("NaN", "不是数字"), ("Infinity", "不是数字"),
])
def test_points_refused(raw, message):
    with pytest.raises(Invalid, match=message):
        parse_points(raw, Decimal("30"), "技术创新性")


def test_a_new_edition_gets_both_default_rubrics(app, db, make_user):
    from datetime import date, datetime

    from contest.domain.states import Role
    from contest.services.editions import save_edition
    from contest.services.judging.rubrics import rubric_for

    organizer = make_user(Role.ORGANIZER)
    edition = save_edition(organizer, dict(
        code="CIC10-NB", name="第十届", year=2027, collection_start=date(2027, 2, 1),
        collection_end=date(2027, 3, 31), bidding_deadline=datetime(2027, 4, 30, 9), review_start=date(2027, 5, 6),
        review_end=date(2027, 5, 20), final_date=date(2027, 6, 10), results_date=date(2027, 6, 20)))
    for round_ in Round:
        rubric = rubric_for(edition.id, round_)
        assert [(c.name, c.max_points) for c in rubric.criteria] == \
            [(c.name, c.max_points) for c in DEFAULT_RUBRICS[round_]]
