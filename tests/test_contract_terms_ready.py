"""What makes a contract registration-ready beyond its text: its type follows the need's cooperation mode (the
organizer may change it until issue), its total splits into the 技术交易额 and the non-technical parts, its
validity covers the last payment, its registration classification is checked against the code tables, and both
parties hear of its registration."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import given, strategies as st

from contest.domain.choices import CooperationMode
from contest.domain.contracts import NONTECH_PARTS, ContractType, check_nontech
from contest.domain.errors import Invalid
from contest.models import Contract, Notice

from .test_contract_registration import register
from .test_contracts import SPLIT, draft, signed, snapshot, terms_form, text, world  # noqa: F401 (world: fixture)

cents = st.integers(min_value=0, max_value=10**12).map(lambda n: Decimal(n).scaleb(-2))


@given(total=st.integers(min_value=1, max_value=10**13).map(lambda n: Decimal(n).scaleb(-2)),
       parts=st.lists(cents, min_size=len(NONTECH_PARTS), max_size=len(NONTECH_PARTS)))
def test_the_technology_amount_and_the_parts_always_sum_to_the_total(total, parts):
    split = dict(zip(NONTECH_PARTS, parts))
    try:
        tech = check_nontech(total, split)
    except Invalid as refused:
        assert refused.message_id == "contract.nontech.over_total" and sum(parts) >= total
    else:
        assert Decimal(0) < tech <= total and tech + sum(parts) == total


@pytest.mark.parametrize("bad", [Decimal("-0.01"), Decimal("1.001"), Decimal("NaN")])
def test_a_part_that_is_not_an_amount_is_refused(bad):
    with pytest.raises(Invalid) as refused:
        check_nontech(Decimal("100.00"), {"materials_amount": bad})
    assert refused.value.message_id == "contract.nontech.invalid"


def test_the_need_s_cooperation_mode_chooses_the_model_text_and_the_organizer_may_change_it(client, db, world, login):
    world.need.cooperation = CooperationMode.JOINT
    db.session.commit()
    login(world.organizer)
    contract = draft(client, world)
    assert contract.contract_type == ContractType.JOINT
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert "技术开发（合作）合同" in page
    r = client.post(f"/organizer/contracts/{contract.id}", data=terms_form(
        contract, contract_type=ContractType.COMMISSIONED))
    assert r.status_code == 302, text(r)
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).contract_type == ContractType.COMMISSIONED


def test_an_issued_joint_contract_lists_its_investment_shares(client, db, world, login):
    world.need.cooperation = CooperationMode.JOINT
    db.session.commit()
    login(world.organizer)
    contract = draft(client, world)
    assert client.post(f"/organizer/contracts/{contract.id}/issue").status_code == 302
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert "第二条 甲方投资占总投资的比例（%）" in page and "70%" in page


def test_the_total_splits_into_its_technology_amount_shown_and_printed(client, db, world, login):
    login(world.organizer)
    contract = draft(client, world)
    r = client.post(f"/organizer/contracts/{contract.id}", data=terms_form(
        contract, equipment_amount="500000", materials_amount="200000.50"))
    assert r.status_code == 302, text(r)
    db.session.expire_all()
    contract = db.session.get(Contract, contract.id)
    assert contract.tech_amount == Decimal("2799999.50")
    assert "2,799,999.50" in text(client.get(f"/organizer/contracts/{contract.id}"))
    assert db.session.scalar(sa.select(Contract.tech_amount).where(Contract.id == contract.id)) == Decimal("2799999.50")


@pytest.mark.parametrize("changes, message", [
    ({"equipment_amount": "3000000", "materials_amount": "500000"}, "技术交易额须大于零"),
    ({"other_amount": "-1"}, "其他非技术性费用须为不小于 0"),
    ({"valid_to": "2026-06-30", "instalments": SPLIT}, "不能早于最后一期付款的到期日"),
    ({"tech_field": "no-such-code"}, "请检查表单"),
])
def test_a_bad_split_validity_or_code_is_refused_and_nothing_is_saved(client, db, world, login, changes, message):
    login(world.organizer)
    contract = draft(client, world)
    before = snapshot(db, contract)
    r = client.post(f"/organizer/contracts/{contract.id}", data=terms_form(contract, **changes))
    assert r.status_code == 400 and message in text(r)
    assert snapshot(db, contract) == before


def test_the_draft_runs_past_the_period_for_the_after_sales_service(client, db, world, login):
    login(world.organizer)
    contract = draft(client, world)
    last_due = max(i.due_date for i in contract.instalments)
    assert contract.valid_to is not None and (contract.valid_to - last_due).days >= 180


def test_both_parties_hear_of_the_registration(client, db, world, login):
    login(world.organizer)
    contract = signed(client, world)
    assert register(client, contract).status_code == 302
    told = db.session.scalars(sa.select(Notice).where(Notice.event == "contract.registered")).all()
    assert {n.user_id for n in told} == {world.firm.id, world.team.owner_id}
    assert any(contract.number in n.text for n in told)
