"""The registration office's result recorded on a signed contract (登记编号, the certified technology amount, the
date), the bank receipt each payment now carries, and the key-programme rule built on both: a horizontal project
(a university, institute or hospital developing for a firm), registered, with 3,000,000 yuan received by payments
proved by a bank receipt."""
from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
import sqlalchemy as sa

from contest.domain.contracts import KeyProgrammeCondition as Cond
from contest.models import AuditEvent, Contract, Payment
from contest.services.contracts import followup
from contest.services.contracts.registration import registration_rows
from contest.services.contracts.statistics import edition_stats

from .conftest import PDF
from .test_contracts import issued, signed, text, world  # noqa: F401 (world is a fixture)

NUMBER = "20263302030001"


def register(client, contract, number=NUMBER, amount="3400000.00", day="2026-03-10"):
    return client.post(f"/organizer/contracts/{contract.id}/registration",
                       data={"registration_number": number, "tech_amount": amount, "registered_on": day})


def pay(client, contract, amount, receipt="HD20260310001"):
    return client.post(f"/organizer/contracts/{contract.id}/payments",
                       data={"amount": amount, "received_on": "2026-03-10", "bank_receipt": receipt})


def registration_of(db, contract) -> tuple:
    db.session.expire_all()
    c = db.session.get(Contract, contract.id)
    return c.registration_number, c.registered_tech_amount, c.registered_on


def test_a_registration_is_recorded_shown_audited_and_corrected(client, db, world, login):
    login(world.organizer)
    contract = signed(client, world)
    assert "技术合同认定登记" in text(client.get(f"/organizer/contracts/{contract.id}"))
    r = register(client, contract)
    assert r.status_code == 302, text(r)
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert f'id="registration-number">{NUMBER}<' in page and "3,400,000.00" in page and "2026-03-10" in page
    assert registration_of(db, contract)[:2] == (NUMBER, Decimal("3400000.00"))
    # Recording again corrects it; the audit keeps what was replaced.
    assert register(client, contract, number="20263302030002", amount="3300000").status_code == 302
    assert registration_of(db, contract)[:2] == ("20263302030002", Decimal("3300000.00"))
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("contract.register%"))
                                .order_by(AuditEvent.id)).all()
    assert [e.action for e in events] == ["contract.register", "contract.register.correct"]
    assert json.loads(events[1].detail)["replaced"]["number"] == NUMBER


@pytest.mark.parametrize("changes, message", [
    ({"number": "2026330203001"}, "登记编号格式不正确"),          # a 3-digit sequence
    ({"number": "19993302030001"}, "登记编号格式不正确"),         # the year
    ({"number": "20269902030001"}, "登记编号格式不正确"),         # no such province code
    ({"number": "2026330203000A"}, "登记编号格式不正确"),
    ({"number": "2026-330203-0001"}, "登记编号格式不正确"),
    ({"amount": "3500000.01"}, "不能超过合同总额"),
    ({"amount": "0"}, "核定技术交易额须在"),
    ({"amount": "-100"}, "核定技术交易额须在"),
    ({"day": "2026-03-09"}, "登记日期不能早于合同签订日期"),
    ({"day": "2026-03-11"}, "登记日期不能晚于今天"),
])
def test_a_bad_registration_is_refused_and_nothing_is_saved(client, db, world, login, changes, message):
    login(world.organizer)
    contract = signed(client, world)
    r = register(client, contract, **changes)
    assert r.status_code == 400 and message in text(r)
    assert registration_of(db, contract) == (None, None, None)


def test_only_a_signed_contract_is_registered_and_a_number_only_once(client, db, world, login):
    login(world.organizer)
    other = issued(client, world, world.awarded_need("另一个需求"))
    r = register(client, other)
    assert r.status_code == 409 and "只有已签订的合同" in text(r)
    assert registration_of(db, other) == (None, None, None)
    assert "organizer/contracts/%d/registration" % other.id not in text(client.get(f"/organizer/contracts/{other.id}"))
    # The number another contract holds is refused.
    contract = signed(client, world)
    assert register(client, contract).status_code == 302
    r = client.post(f"/organizer/contracts/{other.id}/sign",
                    data={"signed_on": "2026-03-10", "scan": (io.BytesIO(PDF), "已签合同.pdf")})
    assert r.status_code == 302
    r = register(client, other, amount="100000")
    assert r.status_code == 409 and f"登记编号 {NUMBER} 已登记在合同 {contract.number} 上" in text(r)
    assert registration_of(db, other) == (None, None, None)


def test_a_new_payment_needs_its_bank_receipt(client, db, world, login):
    login(world.organizer)
    contract = signed(client, world)
    r = pay(client, contract, "100000", receipt="")
    assert r.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Payment.id))) == 0
    assert pay(client, contract, "100000").status_code == 302
    assert "HD20260310001" in text(client.get(f"/organizer/contracts/{contract.id}"))


def test_the_key_programme_flag_needs_each_of_its_conditions(client, db, world, login):
    login(world.organizer)
    contract = signed(client, world)   # 宁波大学 (a university) develops for a firm: a horizontal project
    assert pay(client, contract, "3000000").status_code == 302
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert "data-key-programme>" not in page and "尚未办理技术合同认定登记" in page
    assert register(client, contract).status_code == 302
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert "data-key-programme>" in page and "data-key-programme-missing" not in page
    assert edition_stats(world.edition)["key_programme_eligible"] == 1

    c = db.session.get(Contract, contract.id)
    assert followup.key_programme(c).eligible
    c.registration_number = None
    assert followup.key_programme(c).missing == (Cond.REGISTERED,)
    c.registration_number = NUMBER
    party_a, party_b = json.loads(c.party_a), json.loads(c.party_b)
    for kind in ("enterprise", "social", "other"):   # a firm developer is never a horizontal project
        c.party_b = json.dumps({**party_b, "kind": kind})
        assert followup.key_programme(c).missing == (Cond.HORIZONTAL,), kind
    for kind in ("institute", "medical"):
        c.party_b = json.dumps({**party_b, "kind": kind})
        assert followup.key_programme(c).eligible, kind
    c.party_a = json.dumps({**party_a, "kind": "university"})   # the client must be a firm
    assert followup.key_programme(c).missing == (Cond.HORIZONTAL,)
    c.party_a = json.dumps(party_a)
    c.payments[0].bank_receipt = ""   # an older payment recorded without its receipt does not count
    assert followup.key_programme(c).missing == (Cond.RECEIVED,)
    db.session.commit()
    page = text(client.get(f"/organizer/contracts/{contract.id}"))
    assert "凭银行回单的实际到账不足 300 万元" in page and "（无回单）" in page
    stats = edition_stats(world.edition)
    assert stats["key_programme_eligible"] == 0
    assert stats["key_programme_almost"] == [{"contract_id": contract.id, "number": contract.number,
                                              "project_name": contract.project_name,
                                              "missing": [Cond.RECEIVED.value]}]


def test_statistics_count_registered_contracts_and_show_what_almost_qualifying_ones_miss(client, db, world, login):
    login(world.organizer)
    contract = signed(client, world)
    stats = edition_stats(world.edition)
    assert stats["contracts_registered"] == 0 and stats["registered_tech_amount"] == Decimal("0.00")
    assert register(client, contract, amount="3000000.50").status_code == 302
    stats = edition_stats(world.edition)
    assert stats["contracts_registered"] == 1 and stats["registered_tech_amount"] == Decimal("3000000.50")
    page = text(client.get("/organizer/editions/CIC8-NB/statistics"))
    assert 'data-stat="contracts_registered">1<' in page
    assert f'data-almost="{contract.number}"' in page and "凭银行回单的实际到账不足 300 万元" in page


def test_the_export_carries_the_registration(client, db, world, login, app):
    login(world.organizer)
    contract = signed(client, world)
    with app.test_request_context():
        header, rows = registration_rows(world.edition)
    assert header[0] == "合同登记编号" and header[-2:] == ["核定技术交易额（元）", "登记日期"]
    assert rows[0][0] is None and rows[0][-2:] == [None, None]
    assert register(client, contract).status_code == 302
    db.session.expire_all()
    with app.test_request_context():
        header, rows = registration_rows(world.edition)
    assert rows[0][0] == NUMBER and rows[0][-2] == Decimal("3400000.00") and rows[0][-1].isoformat() == "2026-03-10"
    r = client.get("/organizer/editions/CIC8-NB/registration.xlsx")
    assert r.status_code == 200
