"""Blind online review: nothing a judge can reach names the team, its people, its organizations or its file."""
from __future__ import annotations

import re
from collections import deque
from urllib.parse import quote, urljoin, urlsplit

import pytest

from contest.domain.rubric import Round
from contest.domain.states import EditionStage, NeedStatus, Role
from contest.models import Assignment, Notice, TeamMember
from contest.services.judging import scoring
from contest.services.judging.rubrics import ensure_default_rubrics, rubric_for

TEAM_NAME = "青鸾星火揭榜队"
LEADER = "欧阳澜汐"
MEMBER = "司马霁月"
MEMBER_ORG = "瀚海量子研究院"
LEAD_ORG = "澄江微纳科技有限公司"
FILE_NAME = "澄江微纳-绝密方案-终稿.pdf"
SECRETS = (TEAM_NAME, LEADER, MEMBER, MEMBER_ORG, LEAD_ORG, FILE_NAME, "绝密方案")
HREF = re.compile(r'(?:href|action)="([^"#]*)')
MAX_PAGES = 300


def _forms_of(secret: str) -> list[bytes]:
    """The ways a name can appear: plain UTF-8, URL-encoded (as in filename*=UTF-8''…), HTML-escaped."""
    return [secret.encode(), quote(secret).encode(), quote(secret, safe="").encode(),
            secret.encode("ascii", "xmlcharrefreplace")]


OPTION = re.compile(rb"<option[^>]*>[^<]*</option>")
ORGANIZATIONS = (LEAD_ORG, MEMBER_ORG)


def _leaks(response) -> list[str]:
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items()).encode("latin-1", "replace")
    # The profile's organization picker lists every registered organization, tied to no bid: an
    # organization's name inside an <option> says nothing about who bid. Names of people, the team
    # and the file are searched everywhere.
    without_options = OPTION.sub(b"", response.data)
    found = []
    for secret in SECRETS:
        body = without_options if secret in ORGANIZATIONS else response.data
        if any(form in body or form in headers for form in _forms_of(secret)):
            found.append(secret)
    return found


def _links(response) -> list[str]:
    if not response.content_type.startswith("text/html"):
        return []
    return [link for link in HREF.findall(response.get_data(as_text=True)) if link]


def _same_site(base: str, link: str) -> str | None:
    url = urljoin(base, link.replace("&amp;", "&"))
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(("/static/", "/auth/")) or "lang=" in parts.query:
        return None  # assets, log-out / log-in, and the same page in another language
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def blind(db, edition, make_org, make_user, make_need, make_team, make_bid, app):
    ensure_default_rubrics(edition)
    edition.stage = EditionStage.ONLINE_REVIEW
    lead_org = make_org(name=LEAD_ORG)
    owner = make_user(Role.TEAM, org=lead_org)
    team = make_team(user=owner, name=TEAM_NAME)
    team.leader_name = LEADER
    team.members = [TeamMember(name=MEMBER, organization_name=MEMBER_ORG, title="研究员")]
    need = make_need(status=NeedStatus.IN_REVIEW)
    bid = make_bid(need=need, team=team)
    bid.pdf_original_name = FILE_NAME
    judge = make_user(Role.JUDGE)
    db.session.add(Assignment(bid_id=bid.id, judge_id=judge.id))
    db.session.flush()
    return bid, judge


def test_no_page_or_download_a_judge_can_reach_names_the_team(client, login, db, blind, make_user, clock):
    bid, judge = blind
    criteria = rubric_for(bid.need.edition_id, Round.ONLINE).criteria
    # A submitted then reopened sheet: the judge has a notice and a sheet with history.
    scoring.save_sheet(judge=judge, bid=bid, round_=Round.ONLINE, points={c.id: "5" for c in criteria},
                       comment="", version=None, submit=True, now=clock.now)
    organizer = make_user(Role.ORGANIZER)
    scoring.reopen_sheet(scoring.sheet_of(judge.id, bid.id, Round.ONLINE), organizer, "请复核", clock.now)
    db.session.add(Notice(user_id=judge.id, text="请尽快完成初评", created_at=clock.now))
    login(judge)

    online = f"/judge/online/{bid.id}"
    queue = deque(["/judge/", online, f"{online}/file", "/judge/profile"])
    seen: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        assert not _leaks(response), f"{url} reveals {_leaks(response)}"
        as_json = client.get(url, headers={"Accept": "application/json"})
        assert not _leaks(as_json), f"{url} (JSON) reveals {_leaks(as_json)}"
        targets = _links(response) + ([response.headers["Location"]] if response.status_code in (301, 302) else [])
        for link in targets:
            target = _same_site(url, link)
            if target and target not in seen:
                queue.append(target)

    assert seen["/judge/"] == 200 and seen[online] == 200 and seen[f"{online}/file"] == 200
    assert seen.get("/judge/profile") == 200
    assert any(u.startswith("/judge/assignments/") for u in seen), "the recusal page was not reached"
    download = client.get(f"{online}/file")
    assert download.data.startswith(b"%PDF")
    assert quote(f"挑战报告-{bid.id}.pdf") in download.headers["Content-Disposition"]

    # The page a refused save answers with is blind too.
    refused = client.post(online, data={f"points-{criteria[0].id}": "999", "version": "x", "save_draft": "1"})
    assert refused.status_code in (400, 409)
    assert not _leaks(refused)


def test_the_check_itself_finds_a_leak(client, login, db, blind, make_user):
    """The organizer, who is not blind, sees the team's name and file on the bid's pages: the detector fires."""
    bid, _ = blind
    login(make_user(Role.ORGANIZER))
    assert TEAM_NAME in _leaks(client.get(f"/organizer/bids/{bid.id}/sheets"))
    assert FILE_NAME in _leaks(client.get(f"/organizer/bids/{bid.id}/file"))
