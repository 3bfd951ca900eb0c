"""Blind online review, everywhere a judge can look: the PDF the judge downloads carries no document info, XMP
or annotation author naming the team (the stored original is untouched for the team and the organizers);
error pages name nobody; search, sort and filter by team are not offered and forged ones change nothing."""
from __future__ import annotations

import io
import re
from collections import deque
from urllib.parse import quote, urlencode

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject, ByteStringObject, DictionaryObject, NameObject, NumberObject, StreamObject,
    TextStringObject,
)

from contest.domain.rubric import Round
from contest.domain.states import EditionStage, NeedStatus, Role
from contest.models import Assignment, TeamMember
from contest.services.files import uploads
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for

from .pdf_objects import reachable
from .test_blind_review import LEAD_ORG, LEADER, MEMBER, MEMBER_ORG, SECRETS, TEAM_NAME, _leaks, _links, _same_site

XMP = f"""<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<dc:creator><rdf:Seq><rdf:li>{LEADER}</rdf:li></rdf:Seq></dc:creator>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{TEAM_NAME}挑战报告</rdf:li></rdf:Alt></dc:title>
<pdf:Producer>{LEAD_ORG}</pdf:Producer></rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>""".encode()
INFO = {"/Author": f"{LEADER}、{MEMBER}", "/Creator": f"{LEAD_ORG} 文档系统", "/Producer": MEMBER_ORG,
        "/Title": f"{TEAM_NAME}挑战报告", "/Subject": TEAM_NAME, "/Keywords": f"{TEAM_NAME},{LEAD_ORG}"}
PAGE_TEXT_MARK = "BLIND-PAGE-OK"


def identifying_pdf() -> bytes:
    """A one-page report whose document info, XMP, page metadata and comment author all name the team."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    writer.add_metadata(INFO)
    writer.xmp_metadata = XMP
    page_xmp = writer._add_object(_stream(XMP))
    page[NameObject("/Metadata")] = page_xmp
    comment = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
        NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 30, 30)]),
        NameObject("/T"): TextStringObject(LEADER), NameObject("/Contents"): TextStringObject(PAGE_TEXT_MARK)})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(comment)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _stream(data: bytes) -> StreamObject:
    stream = StreamObject()
    stream.set_data(data)
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    return stream


def _encodings(secret: str) -> list[bytes]:
    """Every way a PDF may write a name: UTF-8 (XMP), UTF-16 (text strings), hex of either, escaped."""
    utf16 = secret.encode("utf-16-be")
    return [secret.encode(), utf16, utf16.hex().encode(), utf16.hex().upper().encode(), secret.encode().hex().encode(),
            quote(secret).encode()]


def _pdf_texts(content: bytes) -> str:
    """Every string and stream of the PDF, decoded: what a reader's "document properties" could show."""
    try:
        reader = PdfReader(io.BytesIO(content))
    except Exception:
        return ""
    texts = []
    for node in reachable(reader):
        if isinstance(node, (TextStringObject, ByteStringObject)):
            texts.append(str(node) if isinstance(node, TextStringObject) else node.decode("utf-8", "replace"))
        elif isinstance(node, StreamObject):
            texts.append(node.get_data().decode("utf-8", "replace"))
    return "\n".join(texts)


def pdf_leaks(content: bytes) -> list[str]:
    """The secrets found in the raw bytes (in any usual encoding) or in any decoded string or stream."""
    decoded = _pdf_texts(content)
    return [s for s in SECRETS if s in decoded or any(form in content for form in _encodings(s))]


@pytest.fixture
def blind(db, edition, make_org, make_user, make_need, make_team, make_bid, app):
    """An edition in online review; the team's bid (its PDF naming the team in its metadata) assigned to a judge;
    the same team's second bid, on another need, assigned to somebody else."""
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.ONLINE_REVIEW
    owner = make_user(Role.TEAM, org=make_org(name=LEAD_ORG))
    team = make_team(user=owner, name=TEAM_NAME)
    team.leader_name = LEADER
    team.members = [TeamMember(name=MEMBER, organization_name=MEMBER_ORG, title="研究员")]
    bid = make_bid(need=make_need(status=NeedStatus.IN_REVIEW), team=team)
    bid.pdf_original_name = f"{TEAM_NAME}-挑战报告.pdf"
    uploads.path_of(bid.pdf_stored_name).write_bytes(identifying_pdf())
    other_bid = make_bid(need=make_need(status=NeedStatus.IN_REVIEW, name="另一需求"), team=team)
    judge, colleague = make_user(Role.JUDGE), make_user(Role.JUDGE)
    db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
    other_assignment = Assignment(bid_id=other_bid.id, judge_id=colleague.id)
    db.session.add(other_assignment)
    db.session.flush()
    return bid, other_bid, other_assignment, judge


# --- the PDF -------------------------------------------------------------------------------------------

def test_the_fixture_pdf_really_names_the_team_everywhere():
    """The check below would catch each of these: the fixture is not blind to begin with."""
    content = identifying_pdf()
    reader = PdfReader(io.BytesIO(content))
    assert reader.metadata.author.startswith(LEADER) and TEAM_NAME in reader.metadata.title
    assert reader.xmp_metadata is not None
    assert set(pdf_leaks(content)) >= {TEAM_NAME, LEADER, MEMBER, MEMBER_ORG, LEAD_ORG}


def test_the_judge_downloads_the_report_without_any_identifying_metadata(client, login, db, blind):
    bid, _other, _assignment, judge = blind
    original = uploads.path_of(bid.pdf_stored_name).read_bytes()
    login(judge)
    response = client.get(f"/judge/online/{bid.id}/file")
    assert response.status_code == 200
    assert pdf_leaks(response.data) == []
    assert not _leaks(response)
    reader = PdfReader(io.BytesIO(response.data))
    info = reader.metadata or {}
    for key in ("/Author", "/Creator", "/Producer", "/Title", "/Subject", "/Keywords"):
        assert key not in info, key
    assert reader.xmp_metadata is None and "/Metadata" not in reader.trailer["/Root"]
    page = reader.pages[0]
    assert "/Metadata" not in page
    # The report itself is intact (the same page), rebuilt without its comments: a comment may carry a name.
    assert len(reader.pages) == 1 and [float(x) for x in page.mediabox] == [0, 0, 595, 842]
    assert "/Annots" not in page and PAGE_TEXT_MARK.encode() not in response.data
    assert re.search(r'filename="[^"]*"', response.headers["Content-Disposition"])
    assert quote(f"挑战报告-{bid.id}.pdf", safe="") in response.headers["Content-Disposition"]
    # The stored original is not touched.
    assert uploads.path_of(bid.pdf_stored_name).read_bytes() == original


def test_the_team_and_the_organizer_still_get_the_original(client, login, db, blind, make_user):
    bid, _other, _assignment, _judge = blind
    original = uploads.path_of(bid.pdf_stored_name).read_bytes()
    login(bid.team.owner)
    assert client.get(f"/team/bids/{bid.id}/file").data == original
    login(make_user(Role.ORGANIZER))
    response = client.get(f"/organizer/bids/{bid.id}/file")
    assert response.data == original
    assert PdfReader(io.BytesIO(response.data)).metadata.title == f"{TEAM_NAME}挑战报告"


def test_a_stored_file_that_cannot_be_made_blind_is_not_served(client, login, db, blind):
    bid, _other, _assignment, judge = blind
    uploads.path_of(bid.pdf_stored_name).write_bytes(b"%PDF-1.4\n" + f"/Author({TEAM_NAME})".encode() + b"\n")
    login(judge)
    response = client.get(f"/judge/online/{bid.id}/file")
    assert response.status_code == 409
    assert "无法去除作者信息" in response.get_data(as_text=True)
    assert not _leaks(response) and pdf_leaks(response.data) == []


# --- every page, the error pages ------------------------------------------------------------------------

def test_no_page_error_or_json_reachable_by_the_judge_names_the_team(client, login, db, blind, clock):
    bid, other_bid, other_assignment, judge = blind
    criteria = rubric_for(bid.need.edition_id, Round.ONLINE).criteria
    login(judge)
    online = f"/judge/online/{bid.id}"
    queue = deque(["/judge/", online, f"{online}/file", "/judge/profile"])
    seen: dict[str, int] = {}
    while queue and len(seen) < 200:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        for answer in (response, client.get(url, headers={"Accept": "application/json"})):
            assert not _leaks(answer), url
            assert answer.mimetype != "application/pdf" or pdf_leaks(answer.data) == [], url
        for link in _links(response):
            target = _same_site(url, link)
            if target and target not in seen:
                queue.append(target)
    assert seen[f"{online}/file"] == 200

    # Another bid of the same team, its file, its recusal page, scoring it: 404 that names nobody.
    other = f"/judge/online/{other_bid.id}"
    refusals = [client.get(other), client.get(f"{other}/file"),
                client.get(f"/judge/assignments/{other_assignment.id}/recuse"),
                client.post(other, data={f"points-{criteria[0].id}": "10", "save_draft": "1"}),
                client.post(f"/judge/assignments/{other_assignment.id}/recuse", data={"reason": "x"}),
                client.get(f"/judge/panels/{other_bid.need_id}"),
                client.get(f"/judge/online/{other_bid.id + bid.id + 100}")]
    for response in refusals:
        assert response.status_code == 404
        assert not _leaks(response)
    for url in (other, f"{other}/file"):
        as_json = client.get(url, headers={"Accept": "application/json"})
        assert as_json.status_code == 404 and not _leaks(as_json)

    # Other roles' pages about the same bid: refused without a word about it.
    for url in (f"/team/bids/{bid.id}", f"/team/bids/{bid.id}/file", f"/organizer/bids/{bid.id}/file",
                f"/organizer/bids/{bid.id}/sheets", f"/organizer/needs/{bid.need_id}/bids",
                f"/firm/needs/{bid.need_id}/ranking"):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert not _leaks(response), url
    # Wrong methods and broken forms on the judge's own bid.
    broken = {f"points-{criteria[0].id}": "x" * 50, "version": "?", "save_draft": "1"}
    for response in (client.put(online), client.delete(f"{online}/file"), client.post(online, data=broken)):
        assert response.status_code in (400, 405, 409)
        assert not _leaks(response)


# --- no search, sort or filter by team ------------------------------------------------------------------

TEAM_CONTROLS = re.compile(r'<form[^>]*method="get"|name="(?:q|team|team_id|sort|order|search|filter)"', re.IGNORECASE)


def test_judge_pages_offer_no_search_sort_or_filter_by_team(client, login, db, blind):
    bid, _other, assignment, judge = blind
    login(judge)
    assigned = db.session.query(Assignment).filter_by(bid_id=bid.id, judge_id=judge.id).one()
    for url in ("/judge/", f"/judge/online/{bid.id}", "/judge/profile", f"/judge/assignments/{assigned.id}/recuse"):
        page = client.get(url).get_data(as_text=True)
        assert not TEAM_CONTROLS.search(page), url
        assert not re.search(r'href="[^"]*[?&](?:sort|order|team|q)=', page), url


CSRF_VALUE = re.compile(rb'(name="csrf_token"[^>]*value=")[^"]*"')


def without_tokens(html: bytes) -> bytes:
    """The page without its CSRF tokens (signed with a timestamp, they differ from one request to the next)."""
    return CSRF_VALUE.sub(rb'\1"', html)


FORGED = [{"team": TEAM_NAME}, {"q": TEAM_NAME}, {"sort": "team"}, {"order": "team", "dir": "desc"},
          {"team_id": "1"}, {"filter": f"team:{TEAM_NAME}"}, {"search": LEADER, "org": LEAD_ORG}]


@pytest.mark.parametrize("forged", FORGED, ids=lambda f: ",".join(f))
def test_forged_team_search_sort_or_filter_changes_nothing(client, login, db, blind, make_need, make_bid,
                                                           make_team, forged):
    bid, _other, _assignment, judge = blind
    # A second assigned bid from another team: a sort or filter would change the list.
    rival = make_bid(need=bid.need, team=make_team(name="旁队"))
    db.session.add(Assignment(bid_id=rival.id, judge_id=judge.id))
    login(judge)
    assigned = db.session.query(Assignment).filter_by(bid_id=bid.id, judge_id=judge.id).one()
    for url in ("/judge/", f"/judge/online/{bid.id}", f"/judge/online/{bid.id}/file", "/judge/profile",
                f"/judge/assignments/{assigned.id}/recuse"):
        plain = client.get(url)
        forged_response = client.get(f"{url}?{urlencode(forged)}")
        assert forged_response.status_code == plain.status_code == 200, url
        if plain.mimetype == "application/pdf":
            assert PdfReader(io.BytesIO(forged_response.data)).metadata is None
            assert len(forged_response.data) == len(plain.data)
        else:
            assert without_tokens(forged_response.data) == without_tokens(plain.data), url
        assert not _leaks(forged_response), url
