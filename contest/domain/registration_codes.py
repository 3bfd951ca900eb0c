"""The code tables of the technology contract registration form (技术合同登记表, JJ-001) and the rules on them.

The registration office keys each contract by codes: 合同类型, 技术领域, 知识产权类别, 社会经济目标, and for each
party its 国别代码, 行政区划代码 (GB/T 2260, to the county or district) and 性质 (unit nature by legal-person
type). The tables are data shipped with the app (contest/data/registration_codes.toml, contest/data/gbt2260.csv,
their sources in their header comments), read once; this module answers what a code means, refuses codes the
form does not have, and gives the defaults a contract starts from (the organizer may change them).
"""
from __future__ import annotations

import csv
import tomllib
from functools import cache
from pathlib import Path

from .choices import NeedField, OrgKind
from .contracts import ContractType
from .errors import Invalid, Phrase

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CODES_FILE = DATA_DIR / "registration_codes.toml"
ENGLISH_FILE = DATA_DIR / "registration_codes_en.toml"   # the same tables' names in English, for English pages
REGIONS_FILE = DATA_DIR / "gbt2260.csv"

# Each table of the form, with the refusal-text id of the field it fills (its name in the reader's language).
_FIELDS = {
    "contract_types": "registration.table.contract_types",
    "tech_fields": "registration.table.tech_fields",
    "ip_categories": "registration.table.ip_categories",
    "socio_goals": "registration.table.socio_goals",
    "unit_natures": "registration.table.unit_natures",
    "countries": "registration.table.countries",
}
TABLES = tuple(_FIELDS)

CHINA = "156"
# Heads of a group of unit natures (事业法人, 内资企业, 港澳台商投资企业, 外商投资企业): the form wants the kind itself.
NATURE_GROUPS = frozenset({"020", "100", "200", "300"})

# A university is 022 whatever it says, and so on; a firm must give its registration type (国有 110, 有限责任公司
# 150, 股份有限公司 160, 私营 170 …), which its kind does not tell: "" here.
_DEFAULT_NATURE: dict[OrgKind, str] = {
    OrgKind.UNIVERSITY: "022",   # 高等院校
    OrgKind.INSTITUTE: "021",    # 科研机构
    OrgKind.MEDICAL: "023",      # 医疗、卫生
    OrgKind.SOCIAL: "030",       # 社团法人
    OrgKind.OTHER: "024",        # 其他事业单位: a body that is none of the above is most often a public institution
    OrgKind.ENTERPRISE: "",
}

_CONTRACT_TYPE: dict[ContractType, str] = {ContractType.COMMISSIONED: "11", ContractType.JOINT: "12"}

# The need's technical field → (技术领域, 社会经济目标). The need-collection form's fields are not the registration's:
# 光机电一体化 is 先进制造, 高技术服务 mostly software and information services (电子信息), 海洋 (ports, ships,
# marine resources) has no field of its own and goes with resources, its objective the exploration and use of the
# Earth (oceans included). A firm's challenge serves its production (工商业发展) unless the field names another
# aim: farming, energy, the environment, health, public services.
_FIELD_DEFAULTS: dict[NeedField, tuple[str, str]] = {
    NeedField.ELECTRONIC_INFO: ("01", "03"),        # 电子信息技术; 工商业发展
    NeedField.MECHATRONICS: ("03", "03"),           # 先进制造技术; 工商业发展
    NeedField.BIOTECH_PHARMA: ("04", "03"),         # 生物、医药和医疗器械技术; 工商业发展 (drug making)
    NeedField.NEW_MATERIALS: ("05", "03"),          # 新材料及其应用; 工商业发展
    NeedField.MODERN_AGRICULTURE: ("09", "02"),     # 农业技术; 农、林、牧、渔业发展
    NeedField.NEW_ENERGY: ("06", "04"),             # 新能源与高效节能; 能源生产、分配和合理利用
    NeedField.RESOURCES_ENVIRONMENT: ("07", "01"),  # 环境保护与资源综合利用技术; 环境保护、生态建设及污染防治
    NeedField.HIGH_TECH_SERVICES: ("01", "03"),     # 电子信息技术; 工商业发展
    NeedField.MARINE: ("07", "09"),                 # 环境保护与资源综合利用技术; 地球和大气层的探索与利用
    NeedField.PUBLIC_AFFAIRS: ("11", "08"),         # 城市建设与社会发展; 社会发展和社会服务
    NeedField.HEALTHCARE: ("04", "05"),             # 生物、医药和医疗器械技术; 卫生事业发展
    NeedField.OTHER: ("11", "12"),                  # 城市建设与社会发展; 其他 — to be looked at
}

# 知识产权类别 of a development contract when signed: 技术秘密. What it develops does not exist yet, so no patent
# is granted or even filed at registration (right after signing); the results are confidential know-how (the
# model texts' confidentiality article) until a party files for a patent. A contract whose subject is a patent
# or a registered right already is a transfer or a licence, not ours; the organizer picks 专利 where the work
# starts from a party's patent.
DEFAULT_IP_CATEGORY = "02"


@cache
def _tables() -> dict[str, dict[str, str]]:
    with CODES_FILE.open("rb") as file:
        data = tomllib.load(file)
    missing = set(TABLES) - data.keys()
    if missing:
        raise ValueError(f"{CODES_FILE.name}: tables missing: {sorted(missing)}")
    for name, rows in data.items():
        if not all(isinstance(code, str) and code.isdigit() and isinstance(text, str) and text
                   for code, text in rows.items()):
            raise ValueError(f"{CODES_FILE.name}: [{name}] must map digit codes to names")
    return data


@cache
def _regions() -> dict[str, str]:
    """GB/T 2260 code → name, in file order (sorted by code); the '#' lines are the source note."""
    with REGIONS_FILE.open(encoding="utf-8", newline="") as file:
        rows = csv.DictReader(line for line in file if not line.startswith("#"))
        regions = {row["code"]: row["name"] for row in rows}
    if not all(len(code) == 6 and code.isdigit() for code in regions):
        raise ValueError(f"{REGIONS_FILE.name}: codes must be six digits")
    return regions


@cache
def _with_divisions() -> frozenset[str]:
    """Codes with a lower level under them in the table: a province, or a city with districts or counties."""
    regions = _regions()
    upper = set()
    for code in regions:
        if code[2:] != "0000":
            upper.add(code[:2] + "0000")
        if code[4:] != "00":
            upper.add(code[:4] + "00")
    return frozenset(upper & regions.keys())


@cache
def _english() -> dict[str, dict[str, str]]:
    """The tables' English names: the same codes as the Chinese tables, each named."""
    with ENGLISH_FILE.open("rb") as file:
        data = tomllib.load(file)
    for name in TABLES:
        if set(data.get(name, {})) != set(_tables()[name]) or not all(data[name].values()):
            raise ValueError(f"{ENGLISH_FILE.name}: [{name}] must name the codes of {CODES_FILE.name}, no others")
    return data


def _names(language: str) -> dict[str, dict[str, str]]:
    return _english() if language.startswith("en") else _tables()


def table(name: str, language: str = "zh") -> dict[str, str]:
    """A code table of the form (one of TABLES): code → name (Chinese, or English for "en"), in the file's order."""
    names = _names(language)[name]
    return {code: names[code] for code in _tables()[name]}


def label(name: str, code: str | None, language: str = "zh") -> str:
    """The name of a code of a table (Chinese, or English for "en"); "" for a blank or unknown code."""
    return _names(language)[name].get(code or "", "")


def check(name: str, code: str | None) -> str:
    """The code, if the table has it; else Invalid naming the field."""
    code = (code or "").strip()
    if code not in _tables()[name]:
        raise Invalid("registration.code_unknown", field=Phrase(_FIELDS[name]), code=code)
    return code


def region_name(code: str | None) -> str:
    """The full name of a GB/T 2260 code, province to county (浙江省宁波市鄞州区; 北京市东城区); "" if unknown."""
    regions = _regions()
    code = code or ""
    if code not in regions:
        return ""
    parts: list[str] = []
    for upper in (code[:2] + "0000", code[:4] + "00"):
        name = regions.get(upper, "")
        if upper != code and name and name not in parts:
            parts.append(name)
    parts.append(regions[code])
    return "".join(parts)


def is_district_level(code: str | None) -> bool:
    """Whether the code is in the table with nothing under it: a district, a county, a county-level city, or a
    city that has no county-level divisions (东莞市 441900)."""
    return (code or "") in _regions() and code not in _with_divisions()


def check_region(code: str | None) -> str:
    """A party's 行政区划代码: six digits, in the current table, at the county or district level. A province or
    a city with districts is refused, so is an abolished code (330204 江东区, merged into 鄞州区)."""
    code = (code or "").strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise Invalid("org.region_code_invalid")
    if code not in _regions():
        raise Invalid("registration.region_unknown", code=code)
    if code in _with_divisions():
        raise Invalid("registration.region_not_district", code=code, name=region_name(code))
    return code


def _kind(kind: OrgKind | str | None) -> OrgKind | None:
    try:
        return OrgKind(kind) if kind is not None else None
    except ValueError:
        return None


def default_nature(kind: OrgKind | str | None) -> str:
    """The unit nature an organization of this kind has unless it says otherwise; "" for an enterprise (its
    registration type is its own to give) or an unknown kind."""
    found = _kind(kind)
    return _DEFAULT_NATURE[found] if found else ""


def enterprise_natures() -> tuple[str, ...]:
    """The unit natures a firm can choose (110 国有企业 … 340 外商投资股份有限公司), in the table's order."""
    return tuple(code for code in _tables()["unit_natures"] if code[0] in "123" and code not in NATURE_GROUPS)


def other_natures() -> tuple[str, ...]:
    """The unit natures of the other kinds (机关、事业单位、社团), in the table's order."""
    return tuple(code for code in _tables()["unit_natures"] if code[0] == "0" and code not in NATURE_GROUPS)


def check_nature(kind: OrgKind | str | None, code: str | None) -> str:
    """The unit nature an organization of this kind gives: a firm must give one of the enterprise natures; the
    others may leave it blank ("" = by kind) or give a non-enterprise one (a bureau is 010, not 024)."""
    code = (code or "").strip()
    enterprise = _kind(kind) is OrgKind.ENTERPRISE
    if not code:
        if enterprise:
            raise Invalid("registration.nature_required")
        return ""
    name = label("unit_natures", code)
    if not name:
        check("unit_natures", code)
    if code in NATURE_GROUPS:
        raise Invalid("registration.nature_group", code=code, name=name)
    if enterprise and code not in enterprise_natures():
        raise Invalid("registration.nature_not_enterprise", code=code, name=name)
    if not enterprise and code in enterprise_natures():
        raise Invalid("registration.nature_enterprise_only", code=code, name=name)
    return code


def nature_of(kind: OrgKind | str | None, nature_code: str | None) -> str:
    """The code the form takes for an organization: its own nature, else its kind's default ("" = not known)."""
    return nature_code or default_nature(kind)


def contract_type_code(contract_type: ContractType | str) -> str:
    """合同类型 of our development contracts: 11 技术开发（委托开发）, 12 技术开发（合作开发）."""
    return _CONTRACT_TYPE[ContractType(contract_type)]


def defaults_for_field(field: NeedField | str | None) -> tuple[str, str]:
    """(技术领域, 社会经济目标) a contract starts from, by its need's technical field; an unknown field is OTHER's."""
    try:
        return _FIELD_DEFAULTS[NeedField(field)]
    except ValueError:
        return _FIELD_DEFAULTS[NeedField.OTHER]
