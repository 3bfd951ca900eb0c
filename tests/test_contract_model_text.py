"""The printed contract against the MOST model text of its type (tests/model_texts.py), as a registrar reads it:
every article and sub-item in order, every blank filled or marked 无 / ／, Article 2 consistent with Article 3, a
合作 contract in its own words; and the clause table the blanks come from (contest.domain.contract_clauses).

Each type is rendered once for the module (a render takes about a second): the tests share the PDF's text."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from weasyprint import HTML

from contest.domain import contract_clauses, model_text_blanks
from contest.domain.contracts import ContractType, DisputeResolution
from contest.domain.errors import Invalid
from contest.pdf.contract import contract_html, render_contract
from contest.pdf.render import STATIC_ORIGIN, static_fetcher
from contest.services.contracts.document import contract_context
from tests.model_texts import MODEL_TEXTS
from tests.test_contract_document import embedded_font_files, make_contract, pdf_text  # noqa: F401 - a fixture

C, J = ContractType.COMMISSIONED, ContractType.JOINT
TYPES = [C, J]
REPLACED = "CIC8-NB-2024-009"
# Some blanks set, one of them left empty on purpose (it prints its mark), the others never set (their defaults).
CLAUSES = {
    C: {"plan_days": 21, "change_reply_days": 12, "royalty_audit": "", "equipment_owner": "both", "ip_ways": "1",
        "doc_feasibility": "乙方提交的挑战报告中的可行性论证部分", "service_fee": "",
        "cooperation_items": "提供试验场地。\n安排技术人员配合；",
        "definitions": "样机：指按本合同第一条研制的在线视觉检测装置\n检测节拍：指完成一件注塑件检测所用的时间"},
    J: {"plan_days": 45, "joint_a_share": 60, "joint_b_share": 40, "doc_design": "", "improve_a_owner": "both",
        "change_grounds": "1. 国家标准发生变化\n2、甲方生产线改造\n（3）双方书面同意的其他情形"},
}
# Terms the model text numbers, typed with their own numbers (the printed numbering replaces them).
BREACH = "1. 甲方逾期付款的，每日按应付金额万分之三支付违约金；\n2、乙方逾期交付的，每日按合同总额万分之三支付违约金。"
_rendered: dict[ContractType, tuple[dict, str, str]] = {}
_fonts: dict[ContractType, list[str]] = {}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_text(pages: list[str], number: str) -> str:
    """The pages after the cover, without the running header and the page footer that pypdf mixes in."""
    body = "".join(pages[1:])
    return re.sub(r"第\d+页共\d+页", "", body.replace(f"合同编号：{number}", ""))


@pytest.fixture
def rendered(request):
    """(context, cover text, body text) of a contract of the given type, rendered once for the module."""
    def get(kind: ContractType) -> tuple[dict, str, str]:
        if kind not in _rendered:
            make = request.getfixturevalue("make_contract")
            contract = make(contract_type=kind, clauses=CLAUSES[kind], breach_terms=BREACH,
                            dispute=DisputeResolution.COURT if kind == J else DisputeResolution.ARBITRATION)
            context = contract_context(contract)
            if kind == J:  # a corrected version: the cover names the voided contract it replaces
                context = {**context, "replaces": REPLACED}
            pdf = render_contract(context)
            pages = pdf_text(pdf)[1]
            _rendered[kind] = (context, pages[0], body_text(pages, context["number"]))
            _fonts[kind] = sorted(name.split("+", 1)[1] for name in embedded_font_files(pdf))
        return _rendered[kind]
    return get


def inline(value: object) -> str:
    """A value as a blank inside a sentence prints it: each line's own final punctuation dropped, lines joined by
    "；"."""
    lines = [line.strip().strip("。；;，,.") for line in str(value).split("\n")]
    return squeeze("；".join(line for line in lines if line))


def numbered(value: str) -> str:
    """A value the model text numbers, as printed: 1．a；2．b。 (typed numbers replaced), or 无 alone."""
    lines = [re.sub(r"^(\d{1,2}[.．、)）]|[(（]\d[)）])", "", line.strip()).strip().strip("；;。.，,")
             for line in value.split("\n")]
    lines = [line for line in lines if line]
    if not lines or lines == [model_text_blanks.NONE]:
        return "无。"
    return squeeze("".join(f"{n}．{line}{'。' if n == len(lines) else '；'}" for n, line in enumerate(lines, 1)))


def expected(phrase: str, context: dict) -> str:
    """A phrase of the model text with its blanks as this contract prints them."""
    clauses = context["clauses"]
    special = {
        "ip_applicant": {"developer": "乙方", "client": "甲方", "joint": "双方"}[context["ip_option"]],
        "contact_a": context["party_a"]["contact_name"], "contact_b": context["party_b"]["contact_name"],
        "dispute_way": "2" if context["dispute"] == "court" else "1",
        "dispute_commission": "／" if context["dispute"] == "court" else context["dispute_text"][2:-7],
    }

    def value(match: re.Match) -> str:
        items, key = match.group(1), match.group(2)
        raw = clauses[key] if key in clauses else special.get(key, context.get(key))
        assert raw is not None, f"{{{key}}} names nothing the contract prints"
        return numbered(raw) if items else inline(raw)

    return squeeze(re.sub(r"\{(items:)?(\w+)\}", value, phrase))


def find_in_order(text: str, phrases: list[str], start: int = 0, where: str = "") -> int:
    """Each phrase found after the previous one; the position after the last."""
    for phrase in phrases:
        found = text.find(phrase, start)
        assert found >= 0, f"{where}: «{phrase}» not found in order after «{text[max(start - 40, 0):start]}»"
        start = found + len(phrase)
    return start


def articles(text: str, model: dict, context: dict) -> dict[str, str]:
    """Each article's text, from its number and head to the next article's."""
    starts, position = [], 0
    for number, phrases in model["articles"]:
        head = number + expected(phrases[0], context)
        found = text.find(head, position)
        assert found >= 0, f"{number} «{head[:40]}…» not found after the previous article"
        starts.append((number, found))
        position = found + len(head)
    end = text.find("（以下无正文）", position)
    bounds = [found for _number, found in starts[1:]] + [end]
    return {number: text[found:stop] for (number, found), stop in zip(starts, bounds)}


@pytest.mark.parametrize("kind", TYPES, ids=lambda kind: kind.value)
def test_every_article_and_sub_item_of_the_model_text_in_order(rendered, kind):
    context, cover, text = rendered(kind)
    model = MODEL_TEXTS[kind]
    find_in_order(cover, model["cover"], where="cover")
    position = 0
    for who, lines in model["parties"]:
        position = find_in_order(text, [who] + lines, position, where=who)
    position = find_in_order(text, [expected(p, context) for p in model["preamble"]], position, where="preamble")
    assert "《中华人民共和国民法典》" in text and "合同法》" not in text
    by_number = articles(text[position:], model, context)
    for number, phrases in model["articles"]:
        find_in_order(by_number[number], [expected(p, context) for p in phrases], where=number)
    last = model["articles"][-1][0]
    find_in_order(text, model["end"], text.index(by_number[last]) + len(by_number[last]), where="end")
    # No article beyond the model text's last one.
    beyond = {C: "第三十条", J: "第三十一条"}[kind]
    assert beyond not in text


@pytest.mark.parametrize("kind", TYPES, ids=lambda kind: kind.value)
def test_every_blank_is_filled_or_marked(rendered, kind):
    context, cover, text = rendered(kind)
    model = MODEL_TEXTS[kind]
    assert "＿" not in cover + text and "__" not in cover + text
    # The model text data places every clause of the type, so each is checked where it sits.
    placed = {key for _number, phrases in model["articles"] for phrase in phrases
              for key in re.findall(r"\{(?:items:)?(\w+)\}", phrase)}
    assert {clause.key for clause in contract_clauses.of_type(kind)} <= placed
    printed = context["clauses"]
    assert set(printed) == {clause.key for clause in contract_clauses.of_type(kind)}
    for key, value in CLAUSES[kind].items():   # what the organizer set, or its blank mark when left empty
        clause = contract_clauses.BY_KEY[key]
        assert printed[key] == (clause.blank if value == "" else contract_clauses.printed({key: value}, kind)[key])
    for clause in contract_clauses.of_type(kind):   # what it never set: the draft's default
        if clause.key not in CLAUSES[kind]:
            assert printed[clause.key] == contract_clauses.printed(contract_clauses.defaults(kind), kind)[clause.key]
    by_number = articles(text[text.index("第一条"):], model, context)
    if kind == C:
        assert "乙方有权以／的方式查阅" in by_number["第五条"]      # not paid by royalty
        assert "3．费用及支付方式：无。" in by_number["第十九条"]
        assert "归双方所有" in by_number["第十八条"] and "按下列第1种方式处理" in by_number["第十五条"]
        assert "1．提交宁波仲裁委员会仲裁；" in by_number["第二十四条"]   # the commission's name, not 仲裁委员会 twice
        assert "（2）设备费、仪器费、零部件费、原材料费等非技术性费用：无。" in by_number["第五条"]
        assert "3．其他协作事项：提供试验场地；安排技术人员配合。" in by_number["第四条"]
    else:
        assert "5．原始设计和工艺文件：无；" in by_number["第二十七条"]
        assert "占本合同项目总投资的60%" in by_number["第二条"] and "占本合同项目总投资的40%" in by_number["第三条"]
        assert "第2种方式处理" in by_number["第二十五条"] and "1．提交／仲裁委员会仲裁；" in by_number["第二十五条"]
        assert "1．国家标准发生变化；2．甲方生产线改造；3．双方书面同意的其他情形。" in by_number["第十条"]
    breach = "1．甲方逾期付款的，每日按应付金额万分之三支付违约金；2．乙方逾期交付的，每日按合同总额万分之三支付违约金。"
    assert breach in text and "1．1." not in text


@pytest.mark.parametrize("kind", TYPES, ids=lambda kind: kind.value)
def test_the_plan_is_due_days_after_effect_and_no_date_beyond_the_schedule(rendered, kind):
    context, _cover, text = rendered(kind)
    model = MODEL_TEXTS[kind]
    by_number = articles(text[text.index("第一条"):], model, context)
    plan, schedule = by_number[model["plan"]], by_number[model["schedule"]]
    assert f"生效后{CLAUSES[kind]['plan_days']}日内" in plan
    dates = [date(*map(int, found)) for found in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", schedule)]
    assert dates == [date(2024, 10, 31), date(2025, 9, 30)]
    in_plan = [date(*map(int, found)) for found in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日", plan)]
    assert all(day <= max(dates) for day in in_plan)
    assert "完成期限" not in plan


def test_a_joint_contract_speaks_of_two_parties_never_of_client_and_developer(rendered):
    context, cover, text = rendered(J)
    assert context["contract_type"] == "joint"
    assert cover.count("技术开发（合作）合同") == 2 and "技术开发（合作）合同" in text   # title and model-text note
    for word in ("委托方", "受托方", "委托乙方", "技术开发（委托）合同"):
        assert word not in cover + text
    assert f"本合同替代已作废的合同（编号：{REPLACED}）" in cover


@pytest.mark.parametrize("kind", TYPES, ids=lambda kind: kind.value)
def test_both_texts_embed_the_same_two_faces(rendered, kind):
    rendered(kind)
    assert _fonts[kind] == ["Noto-Sans-CJK-SC-Bold", "Noto-Serif-CJK-SC"]


def test_a_contract_replacing_nothing_says_nothing_of_it(rendered):
    _context, cover, text = rendered(C)
    assert "替代" not in cover + text


def test_the_registration_office_part_is_left_for_the_office(rendered):
    context, _cover, text = rendered(C)
    marker = "（以下由技术合同登记机构填写）"
    office = text[text.index(marker) + len(marker):]
    assert squeeze("合同登记编号：1．申请登记人：2．登记材料：（1）（2）（3）3．合同类型：4．合同交易额：5．技术交易额："
                   "技术合同登记机构（印章）经办人：年月日") == office
    assert text.index("印花税票粘贴处") < text.index("（以下由技术合同登记机构填写）")


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def test_long_names_and_amounts_keep_the_layout(app, make_contract):
    """The largest amount in words takes two lines of its column; a long 乙方 name wraps inside its own half of the
    signature block, both halves on one page and of one width."""
    name = "宁波大学机械工程与力学学院智能制造装备与系统研究所精密检测技术联合实验室（甬江实验室分部）暨浙江省智能检测装备工程研究中心"
    contract = make_contract(party_b={"name": name}, total_amount=Decimal("999999999999.99"), instalments=[
        (Decimal("999999999998.99"), date(2024, 12, 31), "样机通过验收"), (Decimal("1.00"), date(2025, 9, 30), "结题")])
    document = HTML(string=contract_html(contract_context(contract)), base_url=STATIC_ORIGIN + "/",
                    url_fetcher=static_fetcher()).render()
    cells = [(page_number, box) for page_number, page in enumerate(document.pages)
             for box in _boxes(page._page_box) if type(box).__name__ == "TableCellBox" and box.element is not None]

    def lines(box):
        return [line for line in _boxes(box) if type(line).__name__ == "LineBox"]

    words = [box for _page, box in cells if box.element.get("class") == "words" and box.element_tag == "td"]
    assert [len(lines(box)) for box in words] == [2, 1]
    for _page, box in cells:
        if box.element.get("class") in ("amount", "due") and box.element_tag == "td":
            assert len(lines(box)) == 1
            text_width = sum(text.width for text in _boxes(box) if type(text).__name__ == "TextBox")
            assert 0 < text_width <= box.width
    signatures = [(page, box) for page, box in cells if box.element.get("class") == "signature"]
    assert len(signatures) == 2 and signatures[0][0] == signatures[1][0]
    (_p, a), (_q, b) = signatures
    assert abs(a.width - b.width) < 1 and a.position_x + a.width <= b.position_x + 1
    assert len(lines(b)) > len(lines(a))   # the name wrapped, inside its half


# The clause table itself.

def test_each_clause_is_declared_once_with_a_known_kind_mark_and_default():
    keys = [clause.key for clause in contract_clauses.CLAUSES]
    assert len(keys) == len(set(keys))
    for clause in contract_clauses.CLAUSES:
        assert clause.kind in model_text_blanks.KINDS and clause.blank in ("无", "／") and clause.types
        assert all(article.startswith("第") and article.endswith("条") for _kind, article in clause.where)
    for kind in TYPES:
        draft = contract_clauses.defaults(kind)
        assert contract_clauses.check(draft, kind) == draft   # a new draft's terms are valid as they are
        assert set(contract_clauses.printed(None, kind)) == set(draft)
    assert "royalty_audit" not in contract_clauses.defaults(J) and "joint_a_share" not in contract_clauses.defaults(C)


def test_check_cleans_what_it_keeps():
    cleaned = contract_clauses.check({"plan_days": " 20 ", "joint_a_share": "55%", "materials_after": " 退还\n原件 ",
                                      "definitions": " 甲：一\r\n 乙：二 ", "equipment_owner": "a", "unknown": "x",
                                      "change_reply_days": None}, C)
    assert cleaned == {"plan_days": 20, "joint_a_share": 55, "materials_after": "退还 原件",
                       "definitions": "甲：一\n乙：二", "equipment_owner": "a", "change_reply_days": ""}
    printed = contract_clauses.printed(cleaned, C)
    assert printed["plan_days"] == "20" and printed["equipment_owner"] == "甲方"
    assert printed["change_reply_days"] == "／"                       # left empty: its mark
    assert printed["risk_notice_days"] == "7"                          # never set: the default
    assert contract_clauses.printed({"joint_a_share": 55}, J)["joint_a_share"] == "55%"


@pytest.mark.parametrize("values, refusal", [
    ({"plan_days": 0}, "contract.clause.days"),
    ({"plan_days": 366}, "contract.clause.days"),
    ({"plan_days": "三十"}, "contract.clause.days"),
    ({"plan_days": True}, "contract.clause.days"),
    ({"joint_a_share": 101}, "contract.clause.percent"),
    ({"equipment_owner": "丙"}, "contract.clause.option"),
    ({"ip_ways": "3"}, "contract.clause.option"),
    ({"materials_after": "长" * (contract_clauses.LINE_MAX + 1)}, "contract.clause.too_long"),
    ({"definitions": "长" * (contract_clauses.TEXT_MAX + 1)}, "contract.clause.too_long"),
    ({"joint_a_share": 70, "joint_b_share": 40}, "contract.clause.shares_sum"),
])
def test_check_refuses_naming_the_blank(values, refusal):
    with pytest.raises(Invalid) as caught:
        contract_clauses.check(values, J)
    assert caught.value.message_id == refusal
    if refusal != "contract.clause.shares_sum":
        assert str(contract_clauses.BY_KEY[next(iter(values))].label) in caught.value.message
