"""The registration form's code tables as shipped, and the district-level region codes organizations give."""
from __future__ import annotations

import csv
import tomllib

import pytest
import sqlalchemy as sa
from stdnum.cn import uscc

from contest.domain import registration_codes as codes
from contest.domain.choices import NeedField, OrgKind
from contest.domain.contracts import ContractType
from contest.domain.errors import Invalid
from contest.models import Organization, User
from contest.scale import words
from contest.services.accounts import find_or_create_organization

NINGBO = {"330203": "海曙区", "330205": "江北区", "330206": "北仑区", "330211": "镇海区", "330212": "鄞州区",
          "330213": "奉化区", "330225": "象山县", "330226": "宁海县", "330281": "余姚市", "330282": "慈溪市"}
CODE_LENGTHS = {"contract_types": 2, "tech_fields": 2, "ip_categories": 2, "socio_goals": 2, "unit_natures": 3,
                "countries": 3}


def _region_rows() -> list[dict[str, str]]:
    with codes.REGIONS_FILE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(line for line in file if not line.startswith("#")))


# --- the tables --------------------------------------------------------------------------------------------

def test_every_table_loads_with_codes_of_one_length_and_distinct_names():
    with codes.CODES_FILE.open("rb") as file:
        raw = tomllib.load(file)   # a code given twice in a table is a TOML error
    assert set(raw) == set(codes.TABLES) == set(CODE_LENGTHS)
    for name in codes.TABLES:
        table = codes.table(name)
        assert table == raw[name] and len(table) >= 6
        assert {len(code) for code in table} == {CODE_LENGTHS[name]}, name
        assert all(code.isdigit() for code in table), name
        assert len(set(table.values())) == len(table), f"two codes of {name} share a name"


def test_the_tables_hold_what_the_form_asks():
    assert codes.label("countries", "156") == "中国" and codes.label("countries", "840") == "美国"
    assert codes.label("unit_natures", "022") == "高等院校" and codes.label("unit_natures", "150") == "有限责任公司"
    assert codes.label("contract_types", codes.contract_type_code(ContractType.COMMISSIONED)) == "技术开发（委托开发）"
    assert codes.label("contract_types", codes.contract_type_code(ContractType.JOINT)) == "技术开发（合作开发）"
    assert codes.label("ip_categories", codes.DEFAULT_IP_CATEGORY) == "技术秘密"
    assert codes.label("tech_fields", "") == codes.label("tech_fields", "99") == ""


def test_every_code_has_an_english_name_for_english_pages(client):
    for name in codes.TABLES:
        english = codes.table(name, "en")
        assert list(english) == list(codes.table(name)), name                    # the same codes, in order
        assert len(set(english.values())) == len(english), f"two codes of {name} share an English name"
    assert codes.label("unit_natures", "150", "en") == "Limited liability company"
    page = client.get("/auth/register/firm?lang=en").get_data(as_text=True)
    assert '<option value="150">150 Limited liability company</option>' in page and "有限责任公司" not in page


def test_every_need_field_has_default_codes_of_the_tables():
    for field in NeedField:
        tech_field, socio_goal = codes.defaults_for_field(field)
        assert codes.label("tech_fields", tech_field) and codes.label("socio_goals", socio_goal), field
    assert codes.defaults_for_field(NeedField.MODERN_AGRICULTURE) == ("09", "02")   # 农业技术; 农、林、牧、渔业发展
    assert codes.defaults_for_field("no-such-field") == codes.defaults_for_field(NeedField.OTHER)


def test_a_code_the_table_does_not_have_is_refused_naming_the_field():
    assert codes.check("tech_fields", "03") == "03"
    with pytest.raises(Invalid) as caught:
        codes.check("tech_fields", "99")
    assert caught.value.message_id == "registration.code_unknown"
    assert caught.value.message == "技术领域代码“99”不在技术合同登记表的代码表中"


# --- GB/T 2260 ---------------------------------------------------------------------------------------------

def test_the_region_table_is_current_and_complete():
    rows = _region_rows()
    assert len(rows) > 3000 and len({row["code"] for row in rows}) == len(rows)
    assert all(len(row["code"]) == 6 and row["code"].isdigit() and row["name"] for row in rows)
    ningbo = {row["code"]: row["name"] for row in rows if row["code"][:4] == "3302" and row["code"] != "330200"}
    assert ningbo == NINGBO                                   # 330204 江东区 was merged into 鄞州区 in 2016
    assert codes.region_name("330212") == "浙江省宁波市鄞州区" and codes.region_name("110101") == "北京市东城区"


@pytest.mark.parametrize("code", ["330212", "330282", "441900", "110101"])
def test_a_district_or_county_is_accepted(code):
    assert codes.check_region(code) == code


@pytest.mark.parametrize("code,message", [
    ("330200", "行政区划代码 330200 是浙江省宁波市的代码，技术合同登记须填到区、县一级，请填写所在区、县的代码，"
               "如宁波市鄞州区 330212"),
    ("330000", "行政区划代码 330000 是浙江省的代码，技术合同登记须填到区、县一级"),
    ("330204", "行政区划代码 330204 不在现行 GB/T 2260 代码表中（不存在或已撤销）"),
    ("999999", "行政区划代码 999999 不在现行 GB/T 2260 代码表中"),
    ("33021a", "行政区划代码应为 6 位数字（GB/T 2260，填到区、县一级），如宁波市鄞州区 330212"),
    ("３３０２１２", "行政区划代码应为 6 位数字"),
])
def test_a_province_a_city_an_abolished_or_malformed_code_is_refused(code, message):
    with pytest.raises(Invalid) as caught:
        codes.check_region(code)
    assert caught.value.message.startswith(message)


def test_generated_organizations_sit_in_districts_of_their_cities():
    assert len(words.DISTRICT_CODES) == len(words.REGION_CODES)
    for city, district in zip(words.REGION_CODES, words.DISTRICT_CODES):
        assert codes.check_region(district) == district and district[:4] == city[:4]


# --- unit natures ------------------------------------------------------------------------------------------

def test_the_default_nature_follows_the_kind_but_a_firm_must_say_its_own():
    assert {kind: codes.default_nature(kind) for kind in OrgKind} == {
        OrgKind.UNIVERSITY: "022", OrgKind.INSTITUTE: "021", OrgKind.MEDICAL: "023", OrgKind.SOCIAL: "030",
        OrgKind.OTHER: "024", OrgKind.ENTERPRISE: ""}
    assert codes.check_nature(OrgKind.ENTERPRISE, "160") == "160"
    assert codes.check_nature(OrgKind.UNIVERSITY, "") == "" and codes.check_nature("other", "010") == "010"
    assert codes.nature_of(OrgKind.MEDICAL, "") == "023" and codes.nature_of(OrgKind.ENTERPRISE, "150") == "150"


@pytest.mark.parametrize("kind,code,message_id", [
    (OrgKind.ENTERPRISE, "", "registration.nature_required"),
    (OrgKind.ENTERPRISE, "022", "registration.nature_not_enterprise"),
    (OrgKind.ENTERPRISE, "300", "registration.nature_group"),
    (OrgKind.ENTERPRISE, "999", "registration.code_unknown"),
    (OrgKind.UNIVERSITY, "150", "registration.nature_enterprise_only"),
])
def test_a_nature_that_does_not_fit_the_kind_is_refused(kind, code, message_id):
    with pytest.raises(Invalid) as caught:
        codes.check_nature(kind, code)
    assert caught.value.message_id == message_id


# --- signing up --------------------------------------------------------------------------------------------

def _sign_up(kind: str = "enterprise", region: str = "330212", nature: str = "150") -> dict:
    body = "91330200MA2RC0001" if kind == "enterprise" else "12330200MB0RC0001"
    return {"account-username": "newfirm", "account-display_name": "周敏", "account-email": "", "account-phone": "",
            "account-password": "long-password-2026", "account-confirm": "long-password-2026",
            "org-name": "宁波登记代码测试有限公司", "org-kind": kind, "org-credit_code": body + uscc.calc_check_digit(body),
            "org-region_code": region, "org-nature_code": nature, "org-address": "宁波市鄞州区首南街道",
            "org-legal_rep": "陈立", "org-contact_name": "周敏", "org-contact_phone": "13800000000"}


def _nothing_saved(db) -> bool:
    return not db.session.scalar(sa.select(sa.func.count(User.id))) and \
        not db.session.scalar(sa.select(sa.func.count(Organization.id)))


def test_the_sign_up_form_asks_for_a_district_and_offers_the_natures(client):
    page = client.get("/auth/register/firm").get_data(as_text=True)
    assert 'name="org-region_code"' in page and "如宁波市鄞州区 330212" in page
    assert 'value="330200"' not in page                         # no city code offered as a default
    assert '<option value="150">150 有限责任公司</option>' in page and "022 高等院校" in page


@pytest.mark.parametrize("region,shown", [
    ("330200", "行政区划代码 330200 是浙江省宁波市的代码，技术合同登记须填到区、县一级"),
    ("330204", "行政区划代码 330204 不在现行 GB/T 2260 代码表中"),
])
def test_a_city_or_abolished_region_is_refused_at_sign_up_nothing_saved(client, db, region, shown):
    response = client.post("/auth/register/firm", data=_sign_up(region=region))
    assert response.status_code == 400 and shown in response.get_data(as_text=True)
    assert _nothing_saved(db)


def test_a_firm_must_give_its_nature_nothing_saved(client, db):
    response = client.post("/auth/register/firm", data=_sign_up(nature=""))
    assert response.status_code == 400 and "企业须选择单位性质" in response.get_data(as_text=True)
    assert _nothing_saved(db)


def test_a_firm_signs_up_with_its_district_and_nature_a_university_goes_by_kind(client, db):
    assert client.post("/auth/register/firm", data=_sign_up(region=" 330212 ", nature="160")).status_code == 302
    org = db.session.scalar(sa.select(Organization))
    assert (org.region_code, org.nature_code, org.country_code) == ("330212", "160", "156")
    client.post("/auth/logout")
    team = {**_sign_up("university", "330205", ""), "account-username": "newteam", "org-name": "宁波代码测试学院",
            "team-name": "代码测试团队", "team-leader_name": "王强"}
    assert client.post("/auth/register/team", data=team).status_code == 302
    org = db.session.scalar(sa.select(Organization).where(Organization.name == "宁波代码测试学院"))
    assert (org.region_code, org.nature_code) == ("330205", "")


def test_the_service_refuses_a_city_region_and_a_firm_without_nature_too(db):
    data = {"name": "宁波服务层测试有限公司", "kind": OrgKind.ENTERPRISE, "region_code": "330200", "nature_code": "150",
            "credit_code": "91330200MA2RC0002" + uscc.calc_check_digit("91330200MA2RC0002")}
    with pytest.raises(Invalid) as caught:
        find_or_create_organization(data)
    assert caught.value.message_id == "registration.region_not_district"
    with pytest.raises(Invalid) as caught:
        find_or_create_organization({**data, "region_code": "330212", "nature_code": ""})
    assert caught.value.message_id == "registration.nature_required"
    assert db.session.scalar(sa.select(sa.func.count(Organization.id))) == 0
