"""Uploads and downloads: a PDF is accepted only when pypdf reads it as a plain PDF; the request body limit
answers 413 before the body is read; stored names are generated; every download is an attachment that no
browser renders, sniffs or caches; files are reached only through the object that owns them."""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from contest.domain.contracts import ContractStatus
from contest.domain.states import BidStatus, Role
from contest.models import Assignment, Bid, Contract, PanelMember
from contest.services.judging.rubrics import ensure_default_rubrics

from .conftest import PDF
from .test_contracts import World, draft, signed

ROOT = Path(__file__).resolve().parent.parent
MULTIPART = "multipart/form-data"


# --- files to upload --------------------------------------------------------------------------------------

def pdf_with(*, metadata=None, open_action_js=False, names_js=False, attachment=False, password=None,
             page_action_js=False) -> bytes:
    """A one-page PDF written by pypdf, with the requested extra."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if metadata:
        writer.add_metadata(metadata)
    if open_action_js:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    if names_js:
        writer.add_open_action(JavaScript("app.alert(1);"))
    if page_action_js:  # runs when the page is opened
        writer.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})})
    if attachment:
        writer.add_attachment("payload.exe", b"MZ not really")
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def written_pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand: the objects numbered from 1 (the first is the catalog), a correct cross-reference
    table and trailer."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def raw_pdf(catalog_extra: bytes) -> bytes:
    """A one-page PDF written by hand, with `catalog_extra` in its catalog."""
    return written_pdf([b"<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
                        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>"])


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("index.html", "<script>alert(1)</script>")
    return out.getvalue()


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
# A valid PDF structure whose first lines are also a web page: a browser sniffing it would run the script.
HTML_POLYGLOT = PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%<html><script>alert(1)</script></html>\n", 1)
SVG_POLYGLOT = PDF.replace(b"%PDF-1.4\n", b"%PDF-1.4\n%<svg onload=alert(1)>\n", 1)
ZIP_POLYGLOT = PDF + zip_bytes()
NO_PAGES = PDF.replace(b"/Kids[3 0 R]/Count 1", b"/Kids[]/Count 0      ")

REFUSED = [
    pytest.param(HTML, "只接受 PDF 文件", id="html-renamed-pdf"),
    pytest.param(SVG, "只接受 PDF 文件", id="svg-renamed-pdf"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "只接受 PDF 文件", id="png-renamed-pdf"),
    pytest.param(HTML_POLYGLOT, "不是单纯的 PDF", id="pdf-html-polyglot"),
    pytest.param(SVG_POLYGLOT, "不是单纯的 PDF", id="pdf-svg-polyglot"),
    pytest.param(ZIP_POLYGLOT, "不是单纯的 PDF", id="pdf-zip-polyglot"),
    pytest.param(b"%PDF-1.4\n" + zip_bytes(), "不是单纯的 PDF", id="zip-with-pdf-header"),
    pytest.param(pdf_with(open_action_js=True), "含有脚本", id="openaction-javascript"),
    pytest.param(pdf_with(names_js=True), "含有脚本", id="document-javascript"),
    pytest.param(pdf_with(page_action_js=True), "含有脚本", id="page-action-javascript"),
    # Names may hide behind #xx escapes: /J#61vaScript is /JavaScript to a reader.
    pytest.param(raw_pdf(b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"), "含有脚本", id="escaped-javascript"),
    pytest.param(raw_pdf(b"/OpenAction<</S/Launch/F(cmd.exe)>>"), "启动程序", id="launch-action"),
    pytest.param(pdf_with(attachment=True), "嵌入的附件", id="embedded-file"),
    pytest.param(pdf_with(password="secret-pass"), "加密", id="encrypted"),
    pytest.param(PDF[: len(PDF) // 2], "已损坏或不完整", id="truncated"),
    pytest.param(b"%PDF-1.7\n" + b"garbage " * 40, "已损坏或不完整", id="header-only"),
    pytest.param(NO_PAGES, "没有任何页面", id="no-pages"),
    pytest.param(b"", "上传的文件为空", id="empty"),
]


def stored_files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def bid_form(pdf: bytes, filename: str = "report.pdf") -> dict:
    return {"approach": "多光谱成像检测路线。", "innovation": "小样本学习。", "indicators": "漏检率 < 0.1%。",
            "plan": "六个月完成样机。", "price_wan": "280.00", "duration_months": "12", "ip_background": "",
            "strengths": "", "declaration_accepted": "y", "submit_report": "x", "pdf": (io.BytesIO(pdf), filename)}


@pytest.fixture
def team_and_need(make_team, make_need, login, db):
    team = make_team(name="甬江视觉团队")
    need = make_need()
    login(team.owner)
    return team, need


def post_bid(client, need, pdf: bytes, filename: str = "report.pdf"):
    return client.post(f"/team/needs/{need.id}/bid", data=bid_form(pdf, filename), content_type=MULTIPART)


# --- what is refused ------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, message", REFUSED)
def test_a_bad_or_dangerous_file_is_refused_with_a_message_and_nothing_is_stored(client, db, app, team_and_need,
                                                                                content, message):
    team, need = team_and_need
    response = post_bid(client, need, content)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Bid.id))) == 0
    assert stored_files(app) == []


def test_a_plain_pdf_with_ordinary_metadata_is_accepted(client, db, app, team_and_need):
    """The checks refuse what is dangerous, not every PDF: pypdf's own output with an author passes."""
    team, need = team_and_need
    content = pdf_with(metadata={"/Author": "王教授", "/Title": "挑战报告"})
    response = post_bid(client, need, content)
    assert response.status_code == 302, response.get_data(as_text=True)
    bid = db.session.scalar(sa.select(Bid))
    assert bid.status == BidStatus.SUBMITTED
    assert [p.read_bytes() for p in stored_files(app)] == [content]


@pytest.mark.parametrize("content, message", [REFUSED[i] for i in (1, 3, 7, 10, 13, 14, 16)])
def test_the_signed_contract_scan_is_checked_the_same_way(client, db, app, make_user, edition, make_need,
                                                          make_team, make_bid, login, content, message):
    world = World(db, edition, make_user, make_need, make_team, make_bid)
    login(world.organizer)
    contract = draft(client, world)
    # A signing needs an issued contract (set here: rendering its PDF is not what this test is about).
    contract.status, contract.number = ContractStatus.ISSUED, "CIC8-NB-2024-001"
    contract.pdf, contract.pdf_sha256 = PDF, "0" * 64
    db.session.commit()
    before = stored_files(app)
    response = client.post(f"/organizer/contracts/{contract.id}/sign",
                           data={"signed_on": "2026-03-10", "scan": (io.BytesIO(content), "scan.pdf")},
                           content_type=MULTIPART)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Contract, contract.id).signed_scan_name is None
    assert stored_files(app) == before


# --- the body limit ---------------------------------------------------------------------------------------

class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def __init__(self):
        self.reads = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:  # the test client asks where the body starts; that reads nothing
        return True

    def tell(self) -> int:
        return 0

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0

    def readinto(self, buffer) -> int:
        self.reads += 1
        raise AssertionError("the request body was read although Content-Length exceeds MAX_CONTENT_LENGTH")


@pytest.mark.parametrize("who", ["team", "anonymous"])
def test_a_body_over_the_limit_is_answered_413_before_it_is_read(client, db, app, team_and_need, who):
    team, need = team_and_need
    if who == "anonymous":
        client.post("/auth/logout")
        url = "/auth/register/team"
    else:
        url = f"/team/needs/{need.id}/bid"
    body = UnreadableBody()
    too_big = app.config["MAX_CONTENT_LENGTH"] + 1
    response = client.post(url, input_stream=body, content_type="multipart/form-data; boundary=xyz",
                           environ_overrides={"CONTENT_LENGTH": str(too_big)})
    assert response.status_code == 413
    assert "文件过大" in response.get_data(as_text=True)
    assert body.reads == 0
    assert db.session.scalar(sa.select(sa.func.count(Bid.id))) == 0


def test_the_limit_leaves_room_for_a_full_size_report(app):
    assert app.config["MAX_CONTENT_LENGTH"] > app.config["BID_PDF_MAX_BYTES"]


# --- stored names -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("client_name", ["../../../instance/config.py", "..\\..\\evil.html",
                                         "<script>alert(1)</script>.pdf", 'a"; filename=evil.html'])
def test_stored_names_are_generated_never_taken_from_the_client(client, db, app, team_and_need, client_name):
    team, need = team_and_need
    response = post_bid(client, need, PDF, filename=client_name)
    assert response.status_code == 302
    bid = db.session.scalar(sa.select(Bid))
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", bid.pdf_stored_name)
    assert stored_files(app) == [Path(app.config["UPLOAD_FOLDER"]) / "bids" / bid.pdf_stored_name]
    assert "/" not in bid.pdf_original_name and "\\" not in bid.pdf_original_name
    assert "\r" not in bid.pdf_original_name and "\n" not in bid.pdf_original_name
    page = client.get(f"/team/bids/{bid.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    download = client.get(f"/team/bids/{bid.id}/file")
    assert download.status_code == 200 and download.data == PDF
    disposition = download.headers["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and ".." not in disposition.split("filename*")[0]
    assert disposition.count("filename=") == 1 and disposition.count("filename*=") == 1


# --- every download -------------------------------------------------------------------------------------

def assert_protected_download(response, mimetype: str, filename: str) -> None:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == mimetype
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(r'filename="[A-Za-z0-9._-]+"', disposition), disposition
    assert f"filename*=UTF-8''{quote(filename, safe='')}" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    cache = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache and "public" not in cache


@pytest.fixture
def downloads(db, app, client, edition, make_user, make_need, make_team, make_bid, login):
    """A signed contract (with its scan), a second need's draft contract, a panel, and a judge on the bid."""
    ensure_default_rubrics(edition)
    world = World(db, edition, make_user, make_need, make_team, make_bid)
    judge = make_user(Role.JUDGE)
    db.session.add(Assignment(bid_id=world.bid.id, judge_id=judge.id))
    db.session.add(PanelMember(need_id=world.need.id, user_id=judge.id))
    other_need = world.awarded_need("反渗透膜抗污染改性")
    login(world.organizer)
    contract = signed(client, world)
    draft_contract = draft(client, world, other_need)
    return world, judge, contract, draft_contract


def test_every_download_is_an_attachment_that_no_browser_renders_sniffs_or_caches(client, db, downloads, login):
    world, judge, contract, draft_contract = downloads
    code = world.edition.code
    organizer_downloads = [
        (f"/organizer/bids/{world.bid.id}/file", "application/pdf", world.bid.pdf_original_name),
        (f"/organizer/contracts/{contract.id}/pdf", "application/pdf", f"{contract.number}.pdf"),
        (f"/organizer/contracts/{contract.id}/scan", "application/pdf", f"{contract.number}-signed.pdf"),
        (f"/organizer/contracts/{draft_contract.id}/draft.pdf", "application/pdf", f"draft-{draft_contract.id}.pdf"),
        (f"/organizer/editions/{code}/scores.csv", "text/csv", f"{code}-评分明细.csv"),
        (f"/organizer/editions/{code}/scores.xlsx?codes=1",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{code}-评分明细（专家代码）.xlsx"),
        (f"/organizer/needs/{world.need.id}/score-sheet.pdf", "application/pdf",
         f"{code}-{world.need.id}-现场赛评分表.pdf"),
        (f"/organizer/editions/{code}/registration.xlsx",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"{code}-技术合同登记.xlsx"),
        (f"/organizer/editions/{code}/contracts.pdf", "application/pdf", f"{code}-合同汇总.pdf"),
        (f"/organizer/editions/{code}/contracts.zip", "application/zip", f"{code}-合同汇总.zip"),
    ]
    for url, mimetype, filename in organizer_downloads:
        assert_protected_download(client.get(url), mimetype, filename)

    login(world.team.owner)
    assert_protected_download(client.get(f"/team/bids/{world.bid.id}/file"), "application/pdf",
                              world.bid.pdf_original_name)
    login(judge)
    assert_protected_download(client.get(f"/judge/online/{world.bid.id}/file"), "application/pdf",
                              f"挑战报告-{world.bid.id}.pdf")


def test_no_view_sends_a_file_except_through_the_download_helper():
    """A new download route must use contest.services.downloads.send_download, which sets the headers."""
    offenders = []
    for path in (ROOT / "contest").rglob("*.py"):
        if path.name == "downloads.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"\bsend_file\(|\bsend_from_directory\(|\[[\"']Content-Disposition[\"']\]\s*=", source):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# --- files only through their owner -----------------------------------------------------------------------

OWNED_FILE_ROUTES = {
    "team.bid_file": "/team/bids/<int:bid_id>/file",
    "organizer.bid_file": "/organizer/bids/<int:bid_id>/file",
    "judge.online_file": "/judge/online/<int:bid_id>/file",
    "organizer.contract_pdf": "/organizer/contracts/<int:contract_id>/pdf",
    "organizer.draft_pdf": "/organizer/contracts/<int:contract_id>/draft.pdf",
    "organizer.contract_scan": "/organizer/contracts/<int:contract_id>/scan",
    "organizer.objection_evidence": "/organizer/objections/<int:objection_id>/evidence",
}
ASSET_ENDPOINTS = {"static", "bootstrap.static"}  # the site's and Bootstrap-Flask's own CSS, JS and fonts


def test_no_route_serves_a_file_by_a_bare_name_or_id(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ASSET_ENDPOINTS:
            continue
        text = rule.rule.lower()
        assert "upload" not in text and "instance" not in text, rule.rule
        assert "filename" not in text and "<path:" not in text, rule.rule
        assert not re.search(r"<(?:\w+:)?(?:file|stored|scan|name)\w*>", text), rule.rule
    rules = {rule.endpoint: rule.rule for rule in app.url_map.iter_rules()}
    for endpoint, rule in OWNED_FILE_ROUTES.items():
        assert rules[endpoint] == rule


def test_a_stored_file_is_not_reachable_by_its_name(client, db, app, team_and_need, make_user, login):
    team, need = team_and_need
    assert post_bid(client, need, PDF).status_code == 302
    stored = db.session.scalar(sa.select(Bid)).pdf_stored_name
    login(make_user(Role.ORGANIZER))
    for url in (f"/uploads/bids/{stored}", f"/uploads/{stored}", f"/static/../uploads/bids/{stored}",
                f"/instance/uploads/bids/{stored}", f"/static/{stored}", f"/organizer/bids/{stored}/file",
                f"/bootstrap/static/../../uploads/bids/{stored}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.data != PDF


def test_a_bid_without_its_file_on_disk_is_404_not_an_error(client, db, app, make_bid, make_user, login):
    bid = make_bid(price_wan=Decimal("100.00"))
    (Path(app.config["UPLOAD_FOLDER"]) / "bids" / bid.pdf_stored_name).unlink()
    login(make_user(Role.ORGANIZER))
    response = client.get(f"/organizer/bids/{bid.id}/file")
    assert response.status_code == 404
    assert "attachment" not in response.headers.get("Content-Disposition", "")

