"""The access table: for every route and method, the URL arguments (an object of party A, see access_world.py),
the body a POST sends, and what each of the ten actors must get.

Outcomes:
  ok         2xx, or a redirect that is not to the login page
  login      a redirect to /auth/login (anonymous on a guarded page)
  forbidden  403 with the generic "no permission" page: the role may not use the blueprint at all
  hidden     404 that names nothing: another party's object, or one the actor may not know about
  refused    another 4xx (not 404) answered by a business rule on a page the actor may use; each use says why
  waiting    a redirect to /auth/membership: an account not yet let into its organization (firm_pending)

A route of app.url_map missing here fails tests/test_access_matrix.py: place it.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from stdnum.cn import uscc

from contest.services.notify.events import EVENTS

from .access_world import ACTORS, World
from .conftest import PASSWORD, PDF

OK, LOGIN, FORBIDDEN, HIDDEN, REFUSED, WAITING = "ok", "login", "forbidden", "hidden", "refused", "waiting"
OUTCOMES = (OK, LOGIN, FORBIDDEN, HIDDEN, REFUSED, WAITING)
NEW_PASSWORD = "Acc-matrix-passphrase-2026"


def expect(base: dict[str, str] | None = None, default: str | None = None, **actors: str) -> dict[str, str]:
    """A full row: every actor's outcome, from a base row or a default, with some actors overridden."""
    row = dict(base) if base else {a: default for a in ACTORS}
    unknown = set(actors) - set(ACTORS)
    assert not unknown, f"unknown actors {unknown}"
    row.update(actors)
    assert all(row[a] in OUTCOMES for a in ACTORS), row
    return row


PUBLIC = expect(default=OK)
SIGNED_IN = expect(default=OK, anonymous=LOGIN)
_GUARDED = expect(default=FORBIDDEN, anonymous=LOGIN)
# The panel representative is a firm A user; firm_pending registered for firm A's organization and waits to be let in.
FIRMS = expect(_GUARDED, firm_a=OK, firm_b=OK, panel_rep=OK, firm_pending=WAITING)
FIRM_A = expect(FIRMS, firm_b=HIDDEN)
TEAMS = expect(_GUARDED, team_a=OK, team_b=OK)
TEAM_A = expect(TEAMS, team_b=HIDDEN)
JUDGES = expect(_GUARDED, judge_assigned=OK, judge_unassigned=OK, judge_conflicted=OK)
ASSIGNED = expect(JUDGES, judge_unassigned=HIDDEN, judge_conflicted=HIDDEN)  # the assigned judge's own assignment
# The conflicted judge is assigned to the same bid (by hand, before its organization was known): it gets the very
# 404 of a bid that is not its own, or the answer would tell whom the bid comes from.
ONLINE_BID = expect(JUDGES, judge_unassigned=HIDDEN, judge_conflicted=HIDDEN)
# The panel pages are for judges and firms; a firm user or judge who does not sit on this panel gets 404.
PANEL = expect(_GUARDED, judge_assigned=OK, panel_rep=OK, judge_unassigned=HIDDEN, judge_conflicted=HIDDEN,
               firm_a=HIDDEN, firm_b=HIDDEN, firm_pending=WAITING)
ORGANIZER = expect(_GUARDED, organizer=OK)
MARKETS = expect(_GUARDED, market_a=OK, market_b=OK)
MARKET_A = expect(MARKETS, market_b=HIDDEN)  # market A's own need: market B's staff get 404
BROKERS = expect(_GUARDED, broker_a=OK, broker_b=OK)

Args = Callable[[World], dict]
Body = Callable[[World], dict]


def no_args(w: World) -> dict:
    return {}


def empty(w: World) -> dict:
    return {}


@dataclass(frozen=True)
class Route:
    """One rule of the URL map: its arguments, and per method the expected outcomes (and a POST's body)."""

    args: Args = no_args
    get: dict[str, str] | None = None
    post: dict[str, str] | None = None
    body: Body = empty
    why: str = ""        # why some actor is "refused"
    blind: bool = False  # a judge's page of the online round: no team, member or lead organization on it
    own_account: bool = False  # the account's own business (its password): done while waiting, then the waiting page
    methods: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self):
        object.__setattr__(self, "methods", tuple(m for m, row in (("GET", self.get), ("POST", self.post)) if row))

    def outcome(self, method: str, actor: str) -> str:
        return (self.get if method == "GET" else self.post)[actor]


# --- bodies: valid for the allowed actor, so that a denied request has something it could have changed -------

def login_body(w: World) -> dict:
    return {"username": w.usernames["firm_a"], "password": PASSWORD}


def _account(prefix: str, username: str) -> dict:
    return {f"{prefix}username": username, f"{prefix}display_name": "新用户", f"{prefix}password": NEW_PASSWORD,
            f"{prefix}confirm": NEW_PASSWORD}


def _org(name: str, code: str, kind: str) -> dict:
    return {"org-name": name, "org-kind": kind, "org-credit_code": code, "org-region_code": "330212",
            "org-nature_code": "150" if kind == "enterprise" else "",
            "org-address": "宁波市海曙区", "org-legal_rep": "周八", "org-contact_name": "吴九",
            "org-contact_phone": "0574-87654321"}


def _credit_code(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def register_firm_body(w: World) -> dict:
    return {**_account("account-", "acc-new-firm"),
            **_org("新注册企业有限公司", _credit_code("91330200MA2GNEWF0"), "enterprise")}


def register_team_body(w: World) -> dict:
    return {**_account("account-", "acc-new-team"),
            **_org("新注册研究院", _credit_code("12330200MB1NEWT00"), "institute"),
            "team-name": "新注册团队", "team-leader_name": "郑十", "members-0-name": "冯一",
            "members-0-organization_name": "新注册研究院"}


def need_body(w: World) -> dict:
    return {"edition": str(w.edition_ids["open"]), "name": "改写后的需求名称", "category": "firm_specific",
            "field": "electronic_info", "industry": "汽车零部件", "keywords": "机器视觉、缺陷检测",
            "problem": "人工目检漏检率高。", "key_points": "检测节拍不大于 1 秒/件。", "goals": "形成在线检测系统。",
            "budget_wan": "300.00", "period_start": "2026-06-01", "period_end": "2027-05-31",
            "cooperation": "commissioned", "market_id": "1", "save": "保存草稿"}


def market_firm_body(w: World) -> dict:
    """A firm registered by a market's staff, with the firm's consent."""
    return {**_account("account-", "acc-mkt-new-firm"),
            **_org("市场代注册新企业有限公司", _credit_code("91330200MA2GMKTF0"), "enterprise"),
            "consent-consent_by": "周八", "consent-consented": "y"}


def collected_need_body(w: World) -> dict:
    """A need market A's staff collect for the firm market A registered."""
    return {**need_body(w), "market_id": "2", "firm": str(w.orgs["mkt_firm"])}


def bid_body(w: World) -> dict:
    return {"approach": "改写后的技术路线。", "innovation": "创新点。", "indicators": "指标。", "plan": "计划。",
            "price_wan": "200.00", "duration_months": "12", "save_draft": "x"}


def sheet_body(w: World) -> dict:
    return {"comment": "草稿评语", "version": "", "save_draft": "1"}


def edition_body(w: World, code: str | None = "ACC-NEW") -> dict:
    data = {"name": "新一届访问矩阵", "year": "2026", "collection_start": "2026-02-01", "collection_end": "2026-03-31",
            "bidding_deadline": "2026-04-30T17:00", "review_start": "2026-05-06", "review_end": "2026-05-20",
            "final_date": "2026-06-10", "results_date": "2026-06-20"}
    return {**data, "code": code} if code else data


def rubric_body(w: World) -> dict:
    rows = [("技术创新性", "30"), ("方案可行性", "30"), ("团队能力", "20"), ("经济性", "20")]
    data = {}
    for n, (name, points) in enumerate(rows):
        data.update({f"rows-{n}-name": name, f"rows-{n}-description": "", f"rows-{n}-max_points": points})
    return data


def new_user_body(w: World) -> dict:
    return {**_account("", "acc-new-judge"), "role": "judge", "org_id": "0"}


def sign_body(w: World) -> dict:
    return {"signed_on": "2026-03-10", "scan": (io.BytesIO(PDF), "signed.pdf")}


def _need(key: str) -> Args:
    return lambda w: {"need_id": w.needs[key]}


def _bid(key: str) -> Args:
    return lambda w: {"bid_id": w.bids[key]}


def _code(key: str, **more) -> Args:
    return lambda w: {"code": w.editions[key], **more}


def _contract(key: str) -> Args:
    return lambda w: {"contract_id": w.contracts[key]}


def _objection(w: World) -> dict:
    return {"objection_id": w.objection}


def objection_body(w: World) -> dict:
    return {"reason": "评分与现场表现不符，请组织方复核。"}


def _mail(w: World) -> dict:
    return {"message_id": w.mail}


def settings_body(w: World) -> dict:
    """Every kind of event in the daily digest (allowed for each, the required ones too): a valid form for any role
    (the fields of another role's events are ignored)."""
    return {"language": "zh_CN", **{"mode_" + kind.replace(".", "__"): "digest" for kind in EVENTS}}


def _credit(key: str) -> Args:
    return lambda w: {"credit_id": w.brokers[key]}


def broker_profile_body(certificate: str) -> dict:
    return {"name": "甲经纪人", "level": "senior", "certificate_no": certificate, "market_id": "2",
            "fields": "electronic_info", "phone": "13800000000", "active": "y"}


def new_broker_body(w: World) -> dict:
    return {**broker_profile_body("ACC-NEW-BROKER"), **_account("", "acc-new-broker")}


def _job(key: str) -> Args:
    return lambda w: {"job_id": w.jobs[key]}


# --- matchmaking events: the blueprint's roles; market A's events are managed by market A's staff and the organizer
EVENT_USERS = expect(_GUARDED, organizer=OK, market_a=OK, market_b=OK, firm_a=OK, firm_b=OK, panel_rep=OK,
                     firm_pending=WAITING, team_a=OK, team_b=OK, broker_a=OK, broker_b=OK)
EVENT_SCHEDULERS = expect(_GUARDED, organizer=OK, market_a=OK, market_b=OK, firm_pending=WAITING)
EVENT_OF_MARKET_A = expect(EVENT_SCHEDULERS, market_b=HIDDEN)
EVENT_REGISTRANTS = expect(EVENT_USERS, organizer=FORBIDDEN, market_a=FORBIDDEN, market_b=FORBIDDEN)


def _event(key: str, **more: str) -> Args:
    return lambda w: {"event_id": w.events[key], **{k: w.events[v] for k, v in more.items()}}


def event_body(w: World) -> dict:
    return {"market_id": "2", "title": "甲市场对接活动·改期", "starts_at": "2026-03-20T14:30", "place": "海曙区科技大市场",
            "fields": "electronic_info", "description": "企业需求发布", "needs": str(w.needs["published"])}


def contact_body(w: World) -> dict:
    return {"need_id": str(w.needs["published"]), "team_id": "0", "team_name": "乙队材料攻关组", "broker_id": "0",
            "note": "约定下周考察"}


TABLE: dict[str, Route] = {
    # --- public --------------------------------------------------------------------------------------------
    "public.index": Route(get=PUBLIC),
    "public.catalogue": Route(get=PUBLIC),
    "public.need": Route(_need("published"), get=PUBLIC),
    "public.healthz": Route(get=PUBLIC),
    "public.results": Route(get=PUBLIC),
    "public.edition_results": Route(_code("results"), get=PUBLIC),
    "public.verify_contract": Route(lambda w: {"token": w.verify_token}, get=PUBLIC),
    # anyone holding a copy compares it with the issued PDF (here another PDF: "not identical", answered 200)
    "public.verify_contract_file": Route(lambda w: {"token": w.verify_token}, post=PUBLIC,
                                         body=lambda w: {"pdf": (io.BytesIO(PDF), "合同.pdf")}),
    # --- accounts ------------------------------------------------------------------------------------------
    "auth.login": Route(get=PUBLIC, post=PUBLIC, body=login_body),
    "auth.logout": Route(post=SIGNED_IN),
    "auth.me": Route(get=expect(SIGNED_IN, firm_pending=WAITING)),
    "auth.change_password": Route(get=SIGNED_IN, post=expect(SIGNED_IN, firm_pending=WAITING), own_account=True,
                                  body=lambda w: {"current": PASSWORD, "password": NEW_PASSWORD,
                                                  "confirm": NEW_PASSWORD}),
    "auth.register": Route(get=PUBLIC),
    "auth.organization_names": Route(get=PUBLIC),
    # Members of an organization (and organizers) decide who joins it; judges have no organization to share.
    "auth.membership_page": Route(get=SIGNED_IN),
    "auth.join_requests": Route(get=expect(SIGNED_IN, judge_assigned=FORBIDDEN, judge_unassigned=FORBIDDEN,
                                           judge_conflicted=FORBIDDEN, firm_pending=FORBIDDEN, market_a=FORBIDDEN,
                                           market_b=FORBIDDEN, broker_a=FORBIDDEN, broker_b=FORBIDDEN)),
    "auth.decide": Route(lambda w: {"user_id": w.users["firm_pending"], "verdict": "approve"},
                         post=expect(_GUARDED, organizer=OK, firm_a=OK, panel_rep=OK, firm_b=HIDDEN, team_a=HIDDEN,
                                     team_b=HIDDEN, judge_assigned=HIDDEN, judge_unassigned=HIDDEN,
                                     judge_conflicted=HIDDEN, firm_pending=HIDDEN, market_a=HIDDEN, market_b=HIDDEN,
                                     broker_a=HIDDEN, broker_b=HIDDEN)),
    "auth.register_firm": Route(get=PUBLIC, post=PUBLIC, body=register_firm_body),
    "auth.register_team": Route(get=PUBLIC, post=PUBLIC, body=register_team_body),
    # --- notices: every signed-in account's own (an account waiting to join reads its notices too) ----------
    "notices.index": Route(get=SIGNED_IN),
    "notices.read_all": Route(post=SIGNED_IN),
    "notices.read_one": Route(lambda w: {"notice_id": w.notice},
                              post=expect(default=HIDDEN, anonymous=LOGIN, firm_a=OK)),  # another's notice: 404
    "notices.settings": Route(get=SIGNED_IN, post=SIGNED_IN, body=settings_body),
    # --- firm ----------------------------------------------------------------------------------------------
    "firm.home": Route(get=FIRMS),
    "firm.needs": Route(get=FIRMS),
    "firm.new_need": Route(get=FIRMS, post=FIRMS, body=need_body),
    "firm.need": Route(_need("res_signed"), get=FIRM_A),
    "firm.edit_need": Route(_need("draft"), get=FIRM_A, post=FIRM_A, body=need_body),
    "firm.submit_need": Route(_need("draft"), post=FIRM_A),
    "firm.withdraw_need": Route(_need("published"), post=FIRM_A),
    "firm.ranking": Route(_need("final"), get=FIRM_A),
    "firm.confirm": Route(_need("final"), post=expect(FIRM_A, firm_a=REFUSED, panel_rep=REFUSED),
                          why="409: the panel has not submitted every on-site sheet, so no winner can be confirmed"),
    "firm.decline": Route(_need("final"), post=FIRM_A, body=lambda w: {"reason": "与企业预期不符"}),
    "firm.file_objection": Route(_need("notice"), get=FIRMS, post=expect(FIRMS, firm_b=REFUSED), body=objection_body,
                                 why="firm B posted no need in ACC-NOTICE: only a firm or team of the edition objects"),
    "firm.objections": Route(get=FIRMS),
    # --- team ----------------------------------------------------------------------------------------------
    "team.dashboard": Route(get=TEAMS),
    "team.new_bid": Route(_need("unbid"), get=TEAMS, post=TEAMS, body=bid_body),
    "team.bid": Route(_bid("open_a"), get=TEAM_A),
    "team.edit_bid": Route(_bid("open_a"), get=TEAM_A, post=TEAM_A, body=bid_body),
    "team.bid_file": Route(_bid("open_a"), get=TEAM_A),
    "team.withdraw": Route(_bid("open_a"), post=TEAM_A),
    "team.file_objection": Route(_need("notice"), get=TEAMS, post=expect(TEAMS, team_b=REFUSED), body=objection_body,
                                 why="team B's objection to this need is still pending: a second waits for the ruling"),
    "team.objections": Route(get=TEAMS),
    # --- judge ---------------------------------------------------------------------------------------------
    "judge.dashboard": Route(get=JUDGES, blind=True),
    "judge.profile": Route(get=JUDGES, post=expect(JUDGES, judge_assigned=REFUSED, judge_unassigned=REFUSED,
                                                  judge_conflicted=REFUSED),
                           body=lambda w: {"org_id": "0", "expertise": ["electronic_info"]},
                           why="409: an edition is in its online round, so a judge's own organization and declared "
                               "conflicts are locked (changing them one by one would unmask the bids)"),
    "judge.read_notices": Route(post=JUDGES),
    "judge.recuse": Route(lambda w: {"assignment_id": w.assignment}, get=ASSIGNED, post=ASSIGNED,
                          body=lambda w: {"reason": "曾与该需求方合作"}, blind=True),
    "judge.online_bid": Route(_bid("online_a"), get=ONLINE_BID, post=ONLINE_BID, body=sheet_body, blind=True),
    "judge.online_file": Route(_bid("online_a"), get=ONLINE_BID, blind=True),
    "judge.panel": Route(_need("final"), get=PANEL),
    "judge.score_panel": Route(lambda w: {"need_id": w.needs["final"], "bid_id": w.bids["final_a"]}, post=PANEL,
                               body=sheet_body),
    # --- organizer -----------------------------------------------------------------------------------------
    "organizer.dashboard": Route(get=ORGANIZER),
    "organizer.audit_log": Route(get=ORGANIZER),
    "organizer.queue": Route(get=ORGANIZER),
    "organizer.needs": Route(get=ORGANIZER),
    "organizer.bulk_review": Route(post=ORGANIZER, body=lambda w: {"need": str(w.needs["submitted"]),
                                                                    "decision": "approve", "confirmed": "1"}),
    "organizer.need": Route(_need("res_signed"), get=ORGANIZER),
    "organizer.review": Route(_need("submitted"), post=ORGANIZER,
                              body=lambda w: {"decision": "approve", "comment": ""}),
    "organizer.need_bids": Route(_need("online"), get=ORGANIZER),
    "organizer.bid_file": Route(_bid("online_a"), get=ORGANIZER),
    "organizer.bid_sheets": Route(_bid("final_b"), get=ORGANIZER),
    "organizer.reopen_sheet": Route(lambda w: {"sheet_id": w.onsite_sheet}, post=ORGANIZER,
                                    body=lambda w: {"reason": "总分录入有误"}),
    "organizer.disclose_bid": Route(_bid("online_b"), post=ORGANIZER,
                                    body=lambda w: {"reason": "报告第 2 页出现团队名称", "confirmed": "1"}),
    "organizer.users": Route(get=ORGANIZER),
    "organizer.disable_user": Route(lambda w: {"user_id": w.users["firm_b"]}, post=ORGANIZER),
    "organizer.enable_user": Route(lambda w: {"user_id": w.users["disabled"]}, post=ORGANIZER),
    "organizer.new_user": Route(get=ORGANIZER, post=ORGANIZER, body=new_user_body),
    "organizer.editions": Route(get=ORGANIZER),
    "organizer.new_edition": Route(get=ORGANIZER, post=ORGANIZER, body=edition_body),
    "organizer.edit_edition": Route(_code("open"), get=ORGANIZER, post=ORGANIZER,
                                    body=lambda w: edition_body(w, code=None)),
    "organizer.rubric": Route(_code("open", round_="online"), get=ORGANIZER, post=ORGANIZER, body=rubric_body),
    "organizer.judge_list": Route(get=ORGANIZER),
    "organizer.judge_profile": Route(lambda w: {"user_id": w.users["judge_unassigned"]}, get=ORGANIZER,
                                     post=ORGANIZER, body=lambda w: {"org_id": "0"}),
    "organizer.read_notices": Route(post=ORGANIZER),
    "organizer.assignments_page": Route(_code("online"), get=ORGANIZER),
    "organizer.judge_search": Route(_code("online"), get=ORGANIZER),
    "organizer.auto_assign": Route(_code("online"), post=ORGANIZER, body=lambda w: {"seed": "0"}),
    "organizer.add_assignment": Route(_code("online"), post=ORGANIZER, body=lambda w: {
        "bid_id": str(w.bids["online_b"]), "judge_id": str(w.users["judge_unassigned"])}),
    "organizer.remove_assignment": Route(lambda w: {"code": w.editions["online"], "assignment_id": w.assignment},
                                         post=ORGANIZER),
    "organizer.review_progress": Route(_code("online"), get=ORGANIZER),
    "organizer.remind_late": Route(_code("online"), post=ORGANIZER),
    "organizer.judging": Route(_code("final"), get=ORGANIZER),
    "organizer.open_review": Route(_code("closed"), post=ORGANIZER),
    "organizer.confirm_finalists": Route(_code("online"), post=ORGANIZER),
    "organizer.publish_results": Route(_code("decided"), post=ORGANIZER),
    "organizer.standings_page": Route(_code("final"), get=ORGANIZER),
    "organizer.tie_page": Route(_need("final"), get=ORGANIZER),
    "organizer.rule_tie": Route(_need("final"), post=expect(_GUARDED, organizer=REFUSED),
                                body=lambda w: {f"tie-{w.needs['final']}-reason": "理由"},
                                why="409: the need's first place is not a tie, so there is nothing to rule"),
    "organizer.edition_objections": Route(_code("notice"), get=ORGANIZER),
    "organizer.objection": Route(_objection, get=ORGANIZER),
    "organizer.rule_objection": Route(_objection, post=ORGANIZER,
                                      body=lambda w: {"decision": "rejected", "reason": "经核查异议不成立", "confirmed": "1"}),
    "organizer.objection_evidence": Route(_objection, get=ORGANIZER),
    "organizer.need_panel": Route(_need("final_unpanelled"), get=ORGANIZER, post=ORGANIZER, body=lambda w: {
        "judges": [str(w.users["judge_assigned"])], "firm_rep": str(w.users["panel_rep"])}),
    "organizer.score_sheet_pdf": Route(_need("final"), get=ORGANIZER),
    "organizer.score_export": Route(_code("final", fmt="csv"), get=ORGANIZER),
    "organizer.edition_statistics": Route(_code("results"), get=ORGANIZER),
    "organizer.registration_export": Route(_code("results"), get=ORGANIZER),
    "organizer.markets": Route(get=ORGANIZER),
    "organizer.new_market": Route(get=ORGANIZER, post=ORGANIZER, body=lambda w: {
        "name": "宁波市光学行业协会技术市场", "level": "professional", "area": "宁波市光学行业协会", "active": "y"}),
    "organizer.edit_market": Route(lambda w: {"market_id": 2}, get=ORGANIZER, post=ORGANIZER, body=lambda w: {
        "name": "海曙区科技大市场", "level": "sub", "area": "海曙区", "region_code": "330203",
        "contact_name": "陈老师", "active": "y"}),
    "organizer.network_statistics": Route(get=ORGANIZER),
    "organizer.network_export": Route(get=ORGANIZER),
    "organizer.edition_contracts": Route(_code("results"), get=ORGANIZER),
    "organizer.contracts_pdf": Route(_code("results"), get=ORGANIZER),
    "organizer.contracts_zip": Route(_code("results"), get=ORGANIZER),
    "organizer.start_contracts_print": Route(_code("results"), post=ORGANIZER),
    "organizer.draft_contract": Route(_need("res_uncontracted"), post=ORGANIZER),
    "organizer.contract": Route(_contract("drafted"), get=ORGANIZER, post=ORGANIZER, body=lambda w: dict(w.terms_form)),
    "organizer.draft_pdf": Route(_contract("drafted"), get=ORGANIZER),
    "organizer.issue_contract": Route(_contract("drafted"), post=ORGANIZER),
    "organizer.void_contract": Route(_contract("issued"), post=ORGANIZER, body=lambda w: {"reason": "甲方名称有误"}),
    "organizer.sign_contract": Route(_contract("issued"), post=ORGANIZER, body=sign_body),
    "organizer.contract_pdf": Route(_contract("signed"), get=ORGANIZER),
    "organizer.contract_scan": Route(_contract("signed"), get=ORGANIZER),
    "organizer.add_acceptance": Route(_contract("signed"), post=ORGANIZER, body=lambda w: {
        "description": "样机通过中期验收", "accepted_on": "2026-03-10", "instalment_id": "0"}),
    "organizer.add_payment": Route(_contract("signed"), post=ORGANIZER, body=lambda w: {
        "amount": "100000.00", "received_on": "2026-03-10", "note": "首付款", "bank_receipt": "HD20260310001"}),
    "organizer.register_contract": Route(_contract("signed"), post=ORGANIZER, body=lambda w: {
        "registration_number": "20263302030001", "tech_amount": "100000.00", "registered_on": "2026-03-10"}),
    "organizer.mail_log": Route(get=ORGANIZER),
    "organizer.mail_message": Route(_mail, get=ORGANIZER),
    "organizer.resend_mail": Route(_mail, post=ORGANIZER),
    "organizer.job_list": Route(get=ORGANIZER),
    "organizer.job": Route(_job("done"), get=ORGANIZER),
    "organizer.job_state": Route(_job("done"), get=ORGANIZER),
    "organizer.job_result": Route(_job("done"), get=ORGANIZER),
    "organizer.retry_job": Route(_job("failed"), post=ORGANIZER),
    "organizer.start_score_export": Route(_code("final"), post=ORGANIZER, body=lambda w: {"fmt": "csv", "codes": "0"}),
    # --- the network: a market's staff, brokers -------------------------------------------------------------
    "market.home": Route(get=MARKETS),
    # market A's staff work on the needs market A collected: market B's staff get the 404 of a missing need
    "market.needs": Route(get=MARKETS),
    "market.need": Route(_need("mkt_review"), get=MARKET_A),
    "market.pass_need": Route(_need("mkt_review"), post=MARKET_A),
    "market.return_need": Route(_need("mkt_review"), post=MARKET_A, body=lambda w: {"comment": "请补充技术指标"}),
    "market.firms": Route(get=MARKETS),
    "market.register_firm": Route(get=MARKETS, post=MARKETS, body=market_firm_body),
    "market.new_need": Route(get=MARKETS, post=expect(MARKETS, market_b=REFUSED), body=collected_need_body,
                             why="market B may not collect a need for a firm market A registered (not a choice)"),
    "market.edit_need": Route(_need("mkt_collected"), get=MARKET_A, post=MARKET_A, body=collected_need_body),
    "market.submit_need": Route(_need("mkt_collected"), post=MARKET_A),
    "broker.home": Route(get=BROKERS),
    # brokers: broker_a is named (pending) on firm A's published need and on team A's bid; broker_b is not
    "broker.profile": Route(get=BROKERS),
    "broker.confirm_credit": Route(_credit("brk_need_credit"), post=expect(BROKERS, broker_b=HIDDEN)),
    "broker.decline_credit": Route(_credit("brk_bid_credit"), post=expect(BROKERS, broker_b=HIDDEN)),
    "firm.need_broker": Route(_need("published"), get=FIRM_A),
    "firm.name_need_broker": Route(_need("published"), post=FIRM_A,
                                   body=lambda w: {"broker_id": str(w.brokers["brk_b"])}),
    "firm.remove_need_broker": Route(_need("published"), post=FIRM_A),
    "team.bid_broker": Route(_bid("open_a"), get=TEAM_A),
    "team.name_bid_broker": Route(_bid("open_a"), post=TEAM_A, body=lambda w: {"broker_id": str(w.brokers["brk_b"])}),
    "team.remove_bid_broker": Route(_bid("open_a"), post=TEAM_A),
    "organizer.brokers": Route(get=ORGANIZER),
    "organizer.new_broker": Route(get=ORGANIZER, post=ORGANIZER, body=new_broker_body),
    "organizer.edit_broker": Route(lambda w: {"broker_id": w.brokers["brk_a"]}, get=ORGANIZER, post=ORGANIZER,
                                   body=lambda w: broker_profile_body("ACC-BROKER_A")),
    "organizer.broker_statistics": Route(_code("results"), get=ORGANIZER),
    "organizer.reward_rule": Route(_code("results"), get=ORGANIZER, post=ORGANIZER,
                                   body=lambda w: {"rate_pct": "1.5", "cap_yuan": "20000", "firm_share_pct": "50"}),
    "organizer.broker_payables": Route(_code("results"), get=ORGANIZER),
    "organizer.broker_payables_export": Route(_code("results"), get=ORGANIZER),
    # --- matchmaking events: evt_upcoming and evt_past are market A's; team A registered for both ----------------
    "events.index": Route(get=EVENT_USERS),
    "events.event": Route(_event("evt_upcoming"), get=EVENT_USERS),
    "events.register": Route(_event("evt_upcoming"), post=expect(EVENT_REGISTRANTS, team_a=REFUSED),
                             why="team A is registered already (one registration per account)"),
    "events.unregister": Route(_event("evt_upcoming"), post=expect(
        EVENT_REGISTRANTS, firm_a=REFUSED, firm_b=REFUSED, panel_rep=REFUSED, team_b=REFUSED, broker_a=REFUSED,
        broker_b=REFUSED), why="only team A is registered: the others have no registration to withdraw"),
    "events.schedule": Route(get=EVENT_SCHEDULERS, post=expect(EVENT_SCHEDULERS, market_b=REFUSED), body=event_body,
                             why="market B's staff may not schedule an event for market A"),
    "events.edit": Route(_event("evt_upcoming"), get=EVENT_OF_MARKET_A, post=EVENT_OF_MARKET_A, body=event_body),
    "events.cancel": Route(_event("evt_upcoming"), post=EVENT_OF_MARKET_A),
    "events.manage": Route(_event("evt_past"), get=EVENT_OF_MARKET_A),
    "events.attendance": Route(_event("evt_past", registration_id="evt_past_reg"), post=EVENT_OF_MARKET_A,
                               body=lambda w: {"attended": "1"}),
    "events.add_contact": Route(_event("evt_past"), post=EVENT_OF_MARKET_A, body=contact_body),
    "events.traced": Route(get=EVENT_SCHEDULERS),
    "events.yearly": Route(get=EVENT_SCHEDULERS),
    # --- the open API (/api/v1): public reads; its one write takes a bearer token, never the session cookie ------
    "api.needs": Route(get=PUBLIC),
    "api.need": Route(_need("published"), get=PUBLIC),
    "api.create_need": Route(post=expect(default=REFUSED), why="a bearer-token route: without `Authorization: Bearer "
                             "<token>` it answers 401 whatever the session cookie (tests/test_api.py uses tokens)"),
    "api.markets": Route(get=PUBLIC),
    "api.results": Route(get=PUBLIC),
    "api.edition_results": Route(_code("results"), get=PUBLIC),
    "api.statistics": Route(get=PUBLIC),
    "api.edition_statistics": Route(_code("results"), get=PUBLIC),
    "api.openapi_json": Route(get=PUBLIC),
    # market A's staff member's own token: market B's staff get the 404 of a token that does not exist
    "market.token_list": Route(get=MARKETS),
    "market.create_token": Route(post=MARKETS, body=lambda w: {"name": "新接口令牌", "scope": "needs:write"}),
    "market.revoke_token": Route(lambda w: {"token_id": w.api["api_token"]}, post=expect(MARKETS, market_b=HIDDEN)),
}

# Rules of the URL map that serve files shipped with the app, not data: nobody's object.
NOT_IN_MATRIX = frozenset({"static", "bootstrap.static"})
