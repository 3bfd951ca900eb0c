"""Every user text is escaped wherever it is shown: pages of every role, flash messages, the contract PDF, and
spreadsheet exports (a cell starting with = + - @ is text, never a formula).

Payloads go into every text field of a need, a bid, a team and its organizations, a screening comment, a
judge's comment and name, a firm's reason, a recusal and a contract's terms; the pages must carry them only
escaped: no raw <script>, no on…= handler inside a tag, no javascript: link.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from contest.domain.contracts import ContractStatus
from contest.domain.rubric import Round
from contest.domain.states import (
    AssignmentStatus, BidStatus, EditionStage, FirmDecision, NeedStatus, ReviewDecision, Role, SheetStatus,
)
from contest.models import (
    Assignment, Contract, FirmConfirmation, Market, NeedReview, Notice, PanelMember, ScoreItem, ScoreSheet, TeamMember,
)
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for

from .conftest import PDF
from .test_contracts import PARTY_FIELDS, World, draft, terms_form

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
SVG = '"><svg onload=alert(1)>'
JS_LINK = "javascript:alert(1)"
PAYLOAD = f"{SCRIPT}{IMG}{SVG}"            # 77 characters: fits the name columns of needs, teams, orgs
PERSON = f"{SCRIPT}{SVG}"                   # 48 characters: a person's display name holds at most 60
LINKY = f"{JS_LINK}//{SVG}"

RAW = [SCRIPT.lower(), "<img src=x", "<svg onload"]
ESCAPED = ("&lt;script&gt;", "&lt;img src=x", "&lt;svg onload")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


class TagAudit(HTMLParser):
    """What a browser would execute: event-handler attributes, inline scripts, javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(("javascript:", "data:text/html")):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/"):
                self.problems.append(f"<script src={src!r}> (inline or foreign)")
            self.in_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self.in_script = False

    def handle_data(self, data):
        if self.in_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:40]!r}")


def assert_escaped(html: str, where: str) -> None:
    """The page shows at least one payload, and only ever escaped: nothing in it would run."""
    lowered = html.lower()
    for raw in RAW:
        assert raw not in lowered, f"{where}: raw {raw!r}"
    audit = TagAudit()
    audit.feed(html)
    audit.close()
    assert audit.problems == [], where
    assert any(e in html for e in ESCAPED), f"{where}: no payload shown at all (the test would prove nothing)"


def _sheet(db, bid, judge, round_: Round, total_each: str, comment: str) -> ScoreSheet:
    criteria = rubric_for(bid.need.edition_id, round_).criteria
    sheet = ScoreSheet(round=round_, bid_id=bid.id, judge_id=judge.id, status=SheetStatus.SUBMITTED,
                       comment=comment, submitted_at=datetime(2026, 5, 10),
                       items=[ScoreItem(criterion_id=c.id, points=min(Decimal(total_each), c.max_points))
                              for c in criteria])
    db.session.add(sheet)
    return sheet


@pytest.fixture
def xss(db, edition, make_org, make_user, make_need, make_team, make_bid, clock):
    """A published edition full of payloads: needs in every state, a winning bid, judges, sheets, panel."""
    ensure_default_rubrics(edition)
    edition.stage, edition.results_published_at = EditionStage.RESULTS, clock.now - timedelta(days=1)
    edition.finalists_per_need = 2
    edition.name = f"第八届{IMG}"
    texts = dict(name=PAYLOAD, industry=LINKY, problem=PAYLOAD, key_points=PAYLOAD, goals=PAYLOAD)
    db.session.get(Market, 1).name = PERSON  # the city market, renamed by the organizer: String(60)
    firm_org = make_org(name=PAYLOAD)
    firm_org.contact_email, firm_org.address, firm_org.legal_rep, firm_org.contact_name = LINKY, PAYLOAD, SVG, IMG
    firm, rep = make_user(Role.FIRM, org=firm_org, email=LINKY), make_user(Role.FIRM, org=firm_org)
    firm.display_name, rep.display_name = PERSON, SVG
    awarded = make_need(status=NeedStatus.AWARDED, firm=firm, keywords=f"{SCRIPT},{IMG}", **texts)
    published = make_need(status=NeedStatus.PUBLISHED, firm=firm, keywords=f"{SCRIPT},{SVG}", **texts)
    returned = make_need(status=NeedStatus.RETURNED, firm=firm, keywords=SCRIPT, **texts)
    submitted = make_need(status=NeedStatus.SUBMITTED, firm=firm, keywords=IMG, **texts)
    organizer = make_user(Role.ORGANIZER)
    organizer.display_name = PERSON
    db.session.add(NeedReview(need_id=returned.id, reviewer_id=organizer.id, decision=ReviewDecision.RETURN,
                              comment=PAYLOAD))

    lead_org = make_org(name=f"{SVG}{SCRIPT}")  # organization names are unique
    lead_org.address = LINKY
    owner = make_user(Role.TEAM, org=lead_org)
    owner.display_name = IMG
    team = make_team(user=owner, name=PAYLOAD)
    team.leader_name, team.leader_title = SVG, IMG
    team.members = [TeamMember(name=SVG, organization_name=PAYLOAD, title=SCRIPT)]
    bid_texts = dict(approach=PAYLOAD, innovation=PAYLOAD, indicators=PAYLOAD, plan=PAYLOAD,
                     ip_background=LINKY, strengths=PAYLOAD)
    winner = make_bid(need=awarded, team=team, status=BidStatus.WINNER, **bid_texts)
    winner.pdf_original_name = f"{SCRIPT}.pdf"
    runner_up = make_bid(need=awarded, team=make_team(name=SVG), status=BidStatus.NOT_SELECTED, **bid_texts)

    judges = [make_user(Role.JUDGE) for _ in range(3)]
    for judge, name in zip(judges, (PERSON, SVG, IMG)):
        judge.display_name = name
    for judge in judges:
        for bid, points in ((winner, "9"), (runner_up, "7")):
            db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
            _sheet(db, bid, judge, Round.ONLINE, points, comment=PAYLOAD)
        db.session.add(PanelMember(need_id=awarded.id, user_id=judge.id))
    db.session.add(PanelMember(need_id=awarded.id, user_id=rep.id, firm_representative=True))
    for member in [*judges, rep]:
        for bid, points in ((winner, "9"), (runner_up, "6")):
            _sheet(db, bid, member, Round.ONSITE, points, comment=PAYLOAD)
    recused = make_bid(need=published, team=make_team(name=IMG), status=BidStatus.SUBMITTED, **bid_texts)
    db.session.add(Assignment(bid_id=recused.id, judge_id=judges[0].id, status=AssignmentStatus.RECUSED,
                              recusal_reason=PAYLOAD))
    db.session.add(Assignment(bid_id=recused.id, judge_id=judges[1].id))
    db.session.add(FirmConfirmation(need_id=awarded.id, bid_id=winner.id, decision=FirmDecision.CONFIRM,
                                    decided_by_id=firm.id))
    declined = make_need(status=NeedStatus.FAILED, firm=firm, keywords=SVG, **texts)
    db.session.add(FirmConfirmation(need_id=declined.id, decision=FirmDecision.DECLINE, decided_by_id=firm.id,
                                    reason=PAYLOAD))
    db.session.add(Notice(user_id=judges[1].id, text=PAYLOAD, created_at=clock.now))
    db.session.commit()
    return dict(edition=edition, firm=firm, rep=rep, awarded=awarded, published=published, returned=returned,
                submitted=submitted, organizer=organizer, team=team, winner=winner, judges=judges, recused=recused)


def test_every_page_of_every_role_shows_user_text_only_escaped(client, login, db, xss):
    w = xss
    code, awarded, winner = w["edition"].code, w["awarded"], w["winner"]
    pages = {
        None: ["/", "/needs", f"/needs?q={SCRIPT}", f"/needs/{w['published'].id}", "/results", f"/results/{code}"],
        w["firm"]: ["/firm/needs", f"/firm/needs/{awarded.id}", f"/firm/needs/{w['returned'].id}",
                    f"/firm/needs/{w['returned'].id}/edit", f"/firm/needs/{awarded.id}/ranking"],
        w["team"].owner: ["/team/", f"/team/bids/{winner.id}", f"/team/bids/{winner.id}/edit"],
        w["judges"][1]: ["/judge/", f"/judge/online/{winner.id}", f"/judge/online/{w['recused'].id}",
                         f"/judge/panels/{awarded.id}", f"/judge/panels/{awarded.id}?finalist=2"],
        w["rep"]: [f"/judge/panels/{awarded.id}"],
        w["organizer"]: [
            "/organizer/", "/organizer/needs", "/organizer/queue", f"/organizer/needs/{awarded.id}",
            f"/organizer/needs/{w['returned'].id}", f"/organizer/needs/{w['submitted'].id}",
            f"/organizer/needs/{awarded.id}/bids", f"/organizer/bids/{winner.id}/sheets",
            f"/organizer/editions/{code}/standings", f"/organizer/editions/{code}/judging",
            f"/organizer/editions/{code}/assignments", f"/organizer/editions/{code}/progress",
            f"/organizer/editions/{code}/contracts", f"/organizer/needs/{awarded.id}/panel",
            "/organizer/users", "/organizer/judges", f"/organizer/judges/{w['judges'][0].id}/profile",
            "/organizer/audit",
        ],
    }
    for user, urls in pages.items():
        if user is None:
            client.post("/auth/logout")
        else:
            login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, f"{url}: {response.status_code}"
            assert_escaped(response.get_data(as_text=True), url)


def test_a_flash_message_naming_the_object_is_escaped_too(client, login, db, xss):
    """The screening decision's message names the need: the payload in its name stays text. (The edition's
    results are out, so the need can no longer be published: it is returned for revision.)"""
    login(xss["organizer"])
    response = client.post(f"/organizer/needs/{xss['submitted'].id}/review",
                           data={"decision": "return", "comment": "请补充指标"}, follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "已退回企业修改" in page
    assert_escaped(page, "flash after approval")


# --- exports: spreadsheets -------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0"]


def _no_formula(value) -> bool:
    return not (isinstance(value, str) and value.startswith(("=", "+", "-", "@")))


def assert_xlsx_has_no_formula(content: bytes) -> set:
    """No cell of the workbook is a formula (no <f> element in any sheet; each text cell typed as text);
    returns the cell values, with any leading apostrophe a spreadsheet would hide."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not re.search(rb"<(?:\w+:)?f[\s>/]", archive.read(name)), name
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert {c.data_type for c in cells if isinstance(c.value, str)} <= {"s"}
    return {c.value.removeprefix("'") if isinstance(c.value, str) else c.value for c in cells}


@pytest.fixture
def formula_world(db, edition, make_org, make_user, make_need, make_team, make_bid):
    """Submitted sheets whose need, team, judge and comment all start like spreadsheet formulas."""
    ensure_default_rubrics(edition)
    need = make_need(status=NeedStatus.IN_REVIEW, name=FORMULAS[1])
    bid = make_bid(need=need, team=make_team(name=FORMULAS[0]))
    for n, formula in enumerate(FORMULAS):
        judge = make_user(Role.JUDGE)
        judge.display_name = formula
        db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
        _sheet(db, bid, judge, Round.ONLINE, "5", comment=FORMULAS[(n + 2) % 4])
    db.session.commit()
    return need, bid


def test_the_score_csv_neutralises_every_formula(client, login, db, formula_world, make_user):
    login(make_user(Role.ORGANIZER))
    response = client.get("/organizer/editions/CIC8-NB/scores.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert all(_no_formula(cell) for cell in cells), [c for c in cells if not _no_formula(c)]
    for formula in FORMULAS:
        assert "'" + formula in cells, formula


def test_the_score_xlsx_neutralises_every_formula(client, login, db, formula_world, make_user):
    login(make_user(Role.ORGANIZER))
    response = client.get("/organizer/editions/CIC8-NB/scores.xlsx")
    assert response.status_code == 200
    values = assert_xlsx_has_no_formula(response.data)
    for formula in FORMULAS:
        assert formula in values, formula


def test_the_registration_xlsx_neutralises_every_formula(client, login, db, edition, make_need, make_bid, make_user):
    need = make_need(status=NeedStatus.AWARDED)
    bid = make_bid(need=need, status=BidStatus.WINNER)
    db.session.add(Contract(
        edition_id=edition.id, need_id=need.id, bid_id=bid.id, status=ContractStatus.SIGNED, sequence=1,
        number="CIC8-NB-2026-001", project_name=FORMULAS[0], total_amount=Decimal("1000000.00"),
        party_a=json.dumps({"name": FORMULAS[1], "region_code": FORMULAS[3], "kind": "enterprise"}),
        party_b=json.dumps({"name": FORMULAS[2], "region_code": "330200", "kind": "university"}),
        pdf=PDF, pdf_sha256="0" * 64, verify_token="t" * 43, issued_at=datetime(2026, 3, 1),
        signed_on=date(2026, 3, 5)))
    login(make_user(Role.ORGANIZER))
    response = client.get("/organizer/editions/CIC8-NB/registration.xlsx")
    assert response.status_code == 200
    values = assert_xlsx_has_no_formula(response.data)
    for formula in FORMULAS:
        assert formula in values, formula


# --- the contract: its page, its public verification, its PDF --------------------------------------------

def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_contract_terms_are_text_on_its_pages_and_in_its_pdf(client, login, db, edition, make_user, make_need,
                                                             make_team, make_bid):
    world = World(db, edition, make_user, make_need, make_team, make_bid)
    login(world.organizer)
    contract = draft(client, world)
    texts = {"project_name": SCRIPT, "goal": IMG, "content": PAYLOAD, "method": LINKY, "rd_plan": SVG,
             "firm_materials": PAYLOAD, "funds_use": PAYLOAD, "acceptance_criteria": PAYLOAD,
             "acceptance_method": PAYLOAD, "ip_detail": PAYLOAD, "risk_terms": PAYLOAD, "after_sales": PAYLOAD,
             "breach_terms": PAYLOAD, "other_terms": PAYLOAD}
    parties = {key: IMG for key in ("address", "legal_rep", "contact_name")}
    form = terms_form(contract, party_a={**parties, "name": SVG}, party_b={**parties, "name": SCRIPT}, **texts)
    assert set(PARTY_FIELDS) >= {"name", "address"}
    response = client.post(f"/organizer/contracts/{contract.id}", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(contract)
    assert contract.project_name == SCRIPT and json.loads(contract.party_b)["name"] == SCRIPT

    assert_escaped(client.get(f"/organizer/contracts/{contract.id}").get_data(as_text=True), "draft contract page")
    preview = client.get(f"/organizer/contracts/{contract.id}/draft.pdf")
    assert preview.status_code == 200

    assert client.post(f"/organizer/contracts/{contract.id}/issue").status_code == 302
    db.session.refresh(contract)
    assert_escaped(client.get(f"/organizer/contracts/{contract.id}").get_data(as_text=True), "issued contract page")
    assert_escaped(client.get(f"/organizer/editions/{edition.code}/contracts").get_data(as_text=True), "contracts")
    client.post("/auth/logout")
    verify = client.get(f"/contracts/verify/{contract.verify_token}")
    assert verify.status_code == 200
    assert_escaped(verify.get_data(as_text=True), "public verification page")

    login(world.organizer)
    for pdf in (preview.data, client.get(f"/organizer/contracts/{contract.id}/pdf").data):
        text = _squeeze("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
        for payload in (SCRIPT, IMG, SVG, JS_LINK):
            assert _squeeze(payload) in text, payload
        assert "&lt;" not in text and "&#34;" not in text  # shown as typed, not as escaped markup
