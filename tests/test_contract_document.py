"""The printed contract (技术开发（委托）合同) and its public verification page."""
from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from pypdf import PdfReader

from contest.domain.choices import OrgKind
from contest.domain.contracts import ContractStatus, DisputeResolution, IpOwnership
from contest.domain.states import Role
from contest.models import Contract, Instalment
from contest.pdf import StaticFetcher, render as pdf_render
from contest.pdf.contract import render_contract, render_contracts
from contest.services.contracts.document import contract_context, verify_url

# 第一条 … 第二十九条: the model text's article numbering, written out here rather than computed.
ARTICLES = ["第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条", "第八条", "第九条", "第十条",
            "第十一条", "第十二条", "第十三条", "第十四条", "第十五条", "第十六条", "第十七条", "第十八条", "第十九条",
            "第二十条", "第二十一条", "第二十二条", "第二十三条", "第二十四条", "第二十五条", "第二十六条",
            "第二十七条", "第二十八条", "第二十九条"]
# What each heading says, so the order of the DOMAIN.md items is checked, not just the numbers.
HEADINGS = {
    "第一条": "本合同研究开发项目的要求如下", "第二条": "提交研究开发计划", "第三条": "按下列进度完成研究开发工作",
    "第四条": "甲方应向乙方提供的技术资料及协作事项", "第五条": "支付研究开发经费和报酬", "第六条": "研究开发经费由乙方",
    "第七条": "变更必须由双方协商一致，并以书面形式确定",
    "第八条": "未经甲方同意，乙方不得将本合同项目部分或全部研究开发工作转让第三人承担",
    "第九条": "难以克服的技术困难", "第十一条": "保密义务", "第十二条": "交付研究开发成果", "第十三条": "进行验收",
    "第十四条": "不侵犯任何第三人的合法权益", "第十五条": "知识产权权利归属", "第十九条": "技术指导和培训",
    "第二十条": "承担违约责任", "第二十二条": "项目联系人", "第二十三条": "解除本合同", "第二十四条": "争议",
    "第二十六条": "为本合同的组成部分", "第二十八条": "具有同等法律效力", "第二十九条": "本合同经双方签字盖章后生效",
}
TOKEN = "k3Jx9vQ2mZpL8rT5wY1aB4cD7eF0gH6iJ2kL5mN8oP1"
SHA = "ab" * 32
_names = count(1)


def snapshot(org, **overrides) -> str:
    data = {key: getattr(org, key) or "" for key in (
        "name", "address", "legal_rep", "contact_name", "contact_phone", "contact_email", "credit_code",
        "bank_name", "bank_account", "region_code")}
    data["kind"] = org.kind.value
    data.update(overrides)
    return json.dumps(data, ensure_ascii=False)


@pytest.fixture
def make_contract(db, edition, make_org, make_user, make_need, make_bid, make_team):
    """A Contract row written directly (as issue_contract leaves it), with two instalments."""
    def make(status=ContractStatus.ISSUED, party_a=None, party_b=None, instalments=None, **overrides) -> Contract:
        n = next(_names)
        firm_org = make_org(name=f"宁波甬江智能装备有限公司{n}", contact_email="lisi@yongjiang.example")
        uni = make_org(name=f"宁波大学机械工程学院{n}", kind=OrgKind.UNIVERSITY)
        need = make_need(firm=make_user(Role.FIRM, org=firm_org))
        bid = make_bid(need=need, team=make_team(user=make_user(Role.TEAM, org=uni)))
        values = dict(
            edition_id=edition.id, need_id=need.id, bid_id=bid.id, version=1, status=status,
            number="CIC8-NB-2024-001", sequence=1, verify_token=TOKEN, pdf_sha256=SHA,
            project_name="高精度注塑件在线视觉检测系统研发", sign_place="浙江省宁波市",
            sign_date=date(2024, 9, 25), valid_from=date(2024, 10, 1), valid_to=date(2025, 9, 30),
            party_a=snapshot(firm_org, **(party_a or {})), party_b=snapshot(uni, **(party_b or {})),
            goal="检测节拍不大于 1 秒/件，漏检率低于 0.1%。", content="研制在线视觉检测装置及软件。",
            method="多光谱成像结合深度学习。", rd_plan="第 1-3 月样机，第 4-6 月现场验证。",
            rd_deadline=date(2025, 6, 30), firm_materials="甲方提供缺陷样本 5000 件。",
            total_amount=Decimal("72500000.00"), funds_use="包干使用。", acceptance_criteria="漏检率低于 0.1%。",
            acceptance_method="", ip_ownership=IpOwnership.DEVELOPER, ip_detail="", confidentiality_years=3,
            risk_terms="双方各自承担。", after_sales="", breach_terms="逾期交付每日按合同总额万分之三支付违约金。",
            dispute=DisputeResolution.ARBITRATION, arbitration_commission="宁波仲裁委员会", copies=4, other_terms="",
        )
        values.update(overrides)
        if status == ContractStatus.DRAFT and "number" not in overrides:
            values.update(number=None, sequence=None, verify_token=None, pdf_sha256=None)
        contract = Contract(**values)
        contract.instalments = [Instalment(seq=n, amount=amount, due_date=due, condition=condition)
                                for n, (amount, due, condition) in enumerate(instalments or [
                                    (Decimal("21750000.00"), date(2024, 10, 31), "合同签订后支付首期款"),
                                    (Decimal("50750000.00"), date(2025, 9, 30), "样机通过甲方验收"),
                                ], start=1)]
        db.session.add(contract)
        db.session.flush()
        return contract
    return make


@pytest.fixture
def recording_fetcher(app, monkeypatch):
    """The PDF renderer's URL fetcher, kept to see what the contract asked for."""
    fetchers: list[StaticFetcher] = []

    def make():
        fetcher = StaticFetcher(app.static_folder, app.static_url_path)
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(pdf_render, "static_fetcher", make)
    return fetchers


def pdf_text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]


def pdf_fonts(reader: PdfReader) -> list:
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            fonts.append(descendants[0].get_object() if descendants else font)
    return fonts


def test_issued_contract_pdf_follows_the_model_text(app, make_contract, recording_fetcher):
    contract = make_contract()
    pdf = render_contract(contract_context(contract))
    reader, pages = pdf_text(pdf)
    text = "".join(pages)
    a, b = json.loads(contract.party_a), json.loads(contract.party_b)

    # Cover: number, title, parties, dates in Chinese, place, validity.
    cover = pages[0]
    for expected in ("合同编号：CIC8-NB-2024-001", "技术开发（委托）合同", "项目名称：高精度注塑件在线视觉检测系统研发",
                     f"委托方（甲方）：{a['name']}", f"受托方（乙方）：{b['name']}", "签订时间：2024年9月25日",
                     "签订地点：浙江省宁波市", "有效期限：2024年10月1日至2025年9月30日", "科学技术部", "技术合同示范文本"):
        assert expected in cover
    # Parties' details, credit codes and bank accounts.
    for party in (a, b):
        for value in (party["name"], party["credit_code"], party["legal_rep"], party["bank_name"], party["bank_account"]):
            assert value in text
    assert "统一社会信用代码" in text and "开户银行" in text and "项目联系人" in text and "lisi@yongjiang.example" in text
    # The preamble cites the Civil Code, never the repealed Contract Law.
    assert "根据《中华人民共和国民法典》的规定" in text
    assert "合同法》" not in text
    # Every article, in order, each with its subject.
    positions = [text.index(f"{number}") for number in ARTICLES]
    assert positions == sorted(positions)
    for number, subject in HEADINGS.items():
        start = text.index(number)
        following = ARTICLES.index(number) + 1
        end = text.index(ARTICLES[following]) if following < len(ARTICLES) else len(text)
        assert subject in text[start:end], number
    assert "第三十条" not in text
    # Amounts in figures and in words, the total and each instalment.
    assert "研究开发经费和报酬总额为¥72,500,000.00（大写：人民币柒仟贰佰伍拾万元整）" in text
    assert "¥21,750,000.00人民币贰仟壹佰柒拾伍万元整2024年10月31日前合同签订后支付首期款" in text
    assert "¥50,750,000.00人民币伍仟零柒拾伍万元整2025年9月30日前样机通过甲方验收" in text
    assert "2025年9月30日前：样机通过甲方验收" in text  # 第三条's schedule
    # Article 24: the way chosen, both ways of the model text printed.
    assert "确定按以下第1种方式处理：" in text and "1．提交宁波仲裁委员会仲裁；2．依法向人民法院起诉。" in text
    assert "1．乙方享有申请专利的权利" in text
    assert "保密期限：三年" in text and "本合同一式四份" in text
    # Signature and seal blocks, stamp duty, registration office.
    for expected in ("（盖章）", "法定代表人/委托代理人", "（签名）", "印花税票粘贴处", "（以下由技术合同登记机构填写）",
                     "合同登记编号：", "技术交易额：", "技术合同登记机构（印章）", "经办人"):
        assert expected in text
    assert text.index("第二十九条") < text.index("印花税票粘贴处") < text.index("（以下由技术合同登记机构填写）")
    # Page footers count the pages; the header repeats the number after the cover.
    n = len(pages)
    assert n >= 4
    for i, page in enumerate(pages, start=1):
        assert f"第{i}页共{n}页" in page
    assert "第 1 页 共" in reader.pages[0].extract_text()
    assert all("合同编号：CIC8-NB-2024-001" in page for page in pages[1:])
    # Nothing but the site's own stylesheets was fetched.
    assert recording_fetcher and all(not f.refused for f in recording_fetcher)
    served = {url.rsplit("/", 1)[-1] for f in recording_fetcher for url in f.served}
    assert served == {"pdf.css", "contract.css"}


def test_fonts_are_embedded_simplified_chinese(app, make_contract):
    reader = PdfReader(io.BytesIO(render_contract(contract_context(make_contract()))))
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    assert reader.pages[0].mediabox.height == pytest.approx(841.89, abs=1)
    fonts = pdf_fonts(reader)
    assert fonts and all("CJK-SC" in str(font["/BaseFont"]) for font in fonts)
    assert any("Serif" in str(font["/BaseFont"]) for font in fonts)
    assert any("Sans" in str(font["/BaseFont"]) for font in fonts)
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font.get("/BaseFont")


def test_empty_items_print_wu_and_other_options_print_their_own_words(app, make_contract):
    contract = make_contract(
        number="CIC8-NB-2024-007", acceptance_method="", after_sales=" ", ip_detail="", other_terms="",
        party_a={"contact_email": ""}, dispute=DisputeResolution.COURT, ip_ownership=IpOwnership.CLIENT,
        confidentiality_years=0, copies=6, clauses={"service_fee": "", "doc_feasibility": ""},
        instalments=[(Decimal("1409.50"), date(2025, 3, 1), "交付样机"),
                     (Decimal("16409.02"), date(2025, 6, 1), "通过验收"),
                     (Decimal("72482181.48"), date(2025, 9, 1), "结题")])
    text = "".join(pdf_text(render_contract(contract_context(contract)))[1])
    for expected in ("2．验收方式：无", "3．费用及支付方式：无", "特别约定如下：无", "其他相关事项为：无",
                     "电子信箱：无", "保密期限：无", "可行性论证报告：无"):
        assert expected in text
    assert "确定按以下第2种方式处理：" in text and "1．提交／仲裁委员会仲裁；2．依法向人民法院起诉。" in text
    assert "1．甲方享有申请专利的权利" in text and "乙方享有申请专利的权利" not in text
    assert "本合同一式六份" in text
    assert "¥1,409.50人民币壹仟肆佰零玖元伍角" in text
    assert "¥16,409.02人民币壹万陆仟肆佰零玖元零贰分" in text
    assert "研究开发经费由甲方分期支付乙方" in text


def test_user_text_is_printed_as_text_and_never_fetched(app, make_contract, recording_fetcher):
    passwd = '<img src="file:///etc/passwd">'
    remote = '<img src="http://example.com/x.png">'
    contract = make_contract(goal=f"目标{passwd}", method=f"路线{remote}",
                             party_a={"address": f"宁波市{remote}"}, other_terms='<link rel="stylesheet" href="file:///etc/passwd">')
    pdf = render_contract(contract_context(contract))
    raw = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert passwd in raw and remote in raw  # the markup is printed as the user typed it
    assert "root:x:" not in raw and b"root:x:0" not in pdf
    fetched = [url for f in recording_fetcher for url in f.served + f.refused]
    assert fetched and not any("passwd" in url or "example.com" in url for url in fetched)
    assert all(not f.refused for f in recording_fetcher)


def test_a_draft_says_so_and_has_no_number_nor_qr(app, make_contract):
    contract = make_contract(status=ContractStatus.DRAFT)
    context = contract_context(contract)
    assert context["is_draft"] and context["verify_url"] is None
    pages = pdf_text(render_contract(context))[1]
    assert "合同编号：无" in pages[0] and "草稿" in pages[0] and "扫描二维码" not in pages[0]


def test_issued_contract_carries_the_verification_qr(app, make_contract):
    contract = make_contract()
    # Issued from the organizer's page, by an organizer reading the site in English.
    with app.test_request_context("/?lang=en", base_url="https://contest.nbkj.example"):
        context = contract_context(contract)
        pdf = render_contract(context)
    assert context["verify_url"] == f"https://contest.nbkj.example/contracts/verify/{TOKEN}"
    reader, pages = pdf_text(pdf)
    assert "扫描二维码" in pages[0] and "合同编号CIC8-NB-2024-001" in pages[0]
    assert f"第1页共{len(pages)}页" in pages[0]  # the legal document stays in Chinese
    # The QR code is drawn on the cover: without a verification URL the cover draws far less.
    plain = PdfReader(io.BytesIO(render_contract({**context, "verify_url": None})))
    drawn = len(reader.pages[0].get_contents().get_data())
    assert drawn > len(plain.pages[0].get_contents().get_data()) + 2000


def test_verification_url_outside_a_request(app, make_contract):
    contract = make_contract()
    assert verify_url(TOKEN, "https://cic.example.cn/") == f"https://cic.example.cn/contracts/verify/{TOKEN}"
    app.config["PUBLIC_BASE_URL"] = "https://nb.cic.example"
    assert contract_context(contract)["verify_url"] == f"https://nb.cic.example/contracts/verify/{TOKEN}"
    del app.config["PUBLIC_BASE_URL"]
    assert contract_context(contract)["verify_url"].endswith(f"/contracts/verify/{TOKEN}")


def test_several_contracts_in_one_pdf_each_counting_its_own_pages(app, make_contract):
    first = contract_context(make_contract())
    second = contract_context(make_contract(number="CIC8-NB-2024-002", verify_token="t" * 43,
                                            project_name="海洋防腐涂层寿命预测"))
    calls = []
    pdf = render_contracts([first, second], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]
    pages = pdf_text(pdf)[1]
    starts = [i for i, page in enumerate(pages) if page.startswith("合同编号：")]
    assert len(starts) == 2 and starts[0] == 0
    assert "CIC8-NB-2024-001" in pages[0] and "CIC8-NB-2024-002" in pages[starts[1]]
    n1, n2 = starts[1], len(pages) - starts[1]
    assert f"第1页共{n1}页" in pages[0] and f"第{n1}页共{n1}页" in pages[n1 - 1]
    assert f"第1页共{n2}页" in pages[starts[1]] and "海洋防腐涂层寿命预测" in pages[starts[1]]


def test_verification_page_shows_only_what_it_should(client, db, make_contract):
    contract = make_contract(status=ContractStatus.SIGNED, signed_on=date(2024, 9, 28))
    a, b = json.loads(contract.party_a), json.loads(contract.party_b)
    db.session.commit()
    response = client.get(f"/contracts/verify/{TOKEN}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for expected in ("CIC8-NB-2024-001", a["name"], b["name"], "¥72,500,000.00", "人民币柒仟贰佰伍拾万元整",
                     "已签订", SHA):
        assert expected in html
    for private in (a["bank_account"], b["bank_account"], a["bank_name"], a["credit_code"], b["credit_code"],
                    a["address"], a["contact_phone"], a["legal_rep"], "lisi@yongjiang.example", "包干使用"):
        assert private not in html


@pytest.mark.parametrize("status, word", [(ContractStatus.ISSUED, "已出具"), (ContractStatus.VOID, "已作废")])
def test_verification_page_states_the_status(client, db, make_contract, status, word):
    make_contract(status=status)
    db.session.commit()
    html = client.get(f"/contracts/verify/{TOKEN}").get_data(as_text=True)
    assert word in html and "CIC8-NB-2024-001" in html


def test_unknown_or_draft_token_is_404(client, db, make_contract):
    make_contract(status=ContractStatus.DRAFT, number=None, sequence=None, verify_token="draft" * 8, pdf_sha256=None)
    db.session.commit()
    assert client.get("/contracts/verify/nope").status_code == 404
    assert client.get("/contracts/verify/" + "x" * 200).status_code == 404
    assert client.get("/contracts/verify/" + "draft" * 8).status_code == 404


def embedded_font_files(pdf: bytes) -> list[str]:
    """The font programs a PDF embeds (FontFile, FontFile2, FontFile3 of every font descriptor), by font name."""
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # a free entry of the cross-reference table
            continue
        if hasattr(obj, "get") and obj.get("/Type") == "/FontDescriptor":
            found += [str(obj["/FontName"]) for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in obj]
    return found


@pytest.mark.parametrize("status", [ContractStatus.ISSUED, ContractStatus.DRAFT])
def test_a_contract_embeds_two_font_faces_serif_text_and_bold_sans_titles(app, make_contract, status):
    """Each face embedded costs some 160 KB of every contract: Noto Serif CJK SC for the text, Noto Sans CJK SC
    Bold for titles and emphasis, nothing else (a demo contract weighs 435 KB with two, 665 KB with four)."""
    fonts = embedded_font_files(render_contract(contract_context(make_contract(status=status))))
    assert len(fonts) == 2, fonts
    assert sorted(name.split("+", 1)[1] for name in fonts) == ["Noto-Sans-CJK-SC-Bold", "Noto-Serif-CJK-SC"]
