"""Forms that lose nothing, over HTTP: every invalid field marked at once with a summary linking to it; a chosen
PDF kept across a failed submission (and only for its own account), a bad one refused first with nothing saved;
maxlength and the characters left; the 413 page's limit and way back; a withdrawn bid's text restored; the
budget warning's data on the quote field."""
from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from contest.domain.states import BidStatus
from contest.models import Bid, Edition
from contest.services.files import staged_uploads
from tests.conftest import PDF
from tests.test_organizer import EDITION_FORM, organizer  # noqa: F401 (organizer: fixture)
from tests.test_firm import firm, form_data as need_form  # noqa: F401 (firm: fixture)
from tests.test_scoring import form_data, online  # noqa: F401 (online: fixture)
from tests.test_contracts import draft, terms_form, world  # noqa: F401 (world: fixture)
from tests.test_team import MULTIPART, bid_form, bids_of, need, team, uploaded_files  # noqa: F401 (fixtures)


def text(response) -> str:
    return response.get_data(as_text=True)


def post_bid(client, need, **kw):
    return client.post(f"/team/needs/{need.id}/bid", data=bid_form(**kw), content_type=MULTIPART)


def marked(html: str, field_id: str) -> bool:
    """The field is marked invalid, says so to assistive technology, names its message, and the summary links it."""
    tag = re.search(rf'<(?:input|textarea|select)[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    assert tag, f"no field {field_id}"
    tag = tag.group(0)
    return ("is-invalid" in tag and 'aria-invalid="true"' in tag and f"{field_id}-error" in tag
            and f'id="{field_id}-error"' in html and f'href="#{field_id}"' in html)


def staged_token(html: str) -> str:
    match = re.search(r'name="staged_pdf" type="hidden" value="([^"]*)"', html) or \
        re.search(r'type="hidden" name="staged_pdf" value="([^"]*)"', html) or \
        re.search(r'id="staged_pdf" name="staged_pdf" type="hidden" value="([^"]*)"', html)
    assert match, "no staged_pdf field"
    return match.group(1)


def kept_files(app) -> list[Path]:
    folder = Path(app.config["UPLOAD_FOLDER"]) / "staged" / "tmp"
    return sorted(folder.glob("*")) if folder.exists() else []


# --- every error at once -----------------------------------------------------------------------------------

def test_the_bid_form_marks_every_invalid_field_at_once(team, need, client, db):
    response = post_bid(client, need, approach="", price_wan="很多", duration_months="999",
                        declaration_accepted=None, pdf=None)
    html = text(response)
    assert response.status_code == 400
    for field_id in ("approach", "price_wan", "duration_months", "declaration_accepted", "pdf"):
        assert marked(html, field_id), field_id
    assert "提交前须阅读并接受挑战声明" in html and "研发周期须为 1 至 120" in html
    assert 'data-error-count="5"' in html
    assert bids_of(db, team) == []


def test_the_need_form_marks_every_invalid_field_at_once_and_limits_its_texts(client, firm, edition, db):
    response = client.post("/firm/needs/new", data=need_form(
        edition=str(edition.id), name="", keywords="一、二、三、四、五、六", budget_wan="abc",
        period_start="2027-06-01", period_end="2026-01-01"))
    html = text(response)
    assert response.status_code == 400
    for field_id in ("name", "keywords", "budget_wan", "period_end"):
        assert marked(html, field_id), field_id
    assert re.search(r'<input[^>]*\bid="name"[^>]*maxlength="100"', html) or \
        re.search(r'<input[^>]*maxlength="100"[^>]*\bid="name"', html)
    assert re.search(r'<textarea[^>]*maxlength="500"', html)


def test_the_score_sheet_marks_every_bad_criterion_at_once(client, login, db, online):
    login(online.judge)
    response = client.post(online.url, data=form_data(online.criteria, ["-1", "20", "很好", "", "8"], submit=True))
    html = text(response)
    assert response.status_code == 400
    for n in (0, 2, 3):
        assert marked(html, f"points-{online.criteria[n].id}")
    assert not marked(html, f"points-{online.criteria[1].id}")
    assert 'data-error-count="3"' in html


def test_the_edition_form_marks_every_calendar_step_out_of_order_at_once(client, organizer, db):
    form = {**EDITION_FORM, "code": "!", "collection_end": "2027-01-01", "results_date": "2027-06-01"}
    response = client.post("/organizer/editions/new", data=form)
    html = text(response)
    assert response.status_code == 400
    for field_id in ("code", "collection_end", "results_date"):
        assert marked(html, field_id), field_id
    assert db.session.scalar(sa.select(sa.func.count(Edition.id)).where(Edition.code == "!")) == 0


def test_the_edition_form_shows_a_taken_code_under_the_code(client, organizer, db, edition):
    response = client.post("/organizer/editions/new", data={**EDITION_FORM, "code": edition.code})
    assert response.status_code == 409
    assert marked(text(response), "code")


def test_the_contract_form_marks_every_cross_field_error_at_once(client, db, world, login):
    login(world.organizer)
    contract = draft(client, world)
    response = client.post(f"/organizer/contracts/{contract.id}", data=terms_form(
        contract, valid_from="2027-01-01", valid_to="2026-01-01", dispute="arbitration", arbitration_commission="",
        project_name=""))
    html = text(response)
    assert response.status_code == 400
    for field_id in ("valid_to", "arbitration_commission", "project_name"):
        assert marked(html, field_id), field_id


# --- a chosen file survives a failed submission ---------------------------------------------------------

def test_a_chosen_pdf_survives_a_failed_submission_and_is_saved_on_the_corrected_one(team, need, client, db, app):
    first = post_bid(client, need, approach="", filename="方案.pdf")
    html = text(first)
    assert first.status_code == 400 and marked(html, "approach")
    assert "已选文件：方案.pdf，可重新选择替换" in html
    token = staged_token(html)
    assert token and bids_of(db, team) == [] and uploaded_files(app) == []
    second = post_bid(client, need, pdf=None, staged_pdf=token)
    assert second.status_code == 302, text(second)
    [bid] = bids_of(db, team)
    assert bid.status == BidStatus.SUBMITTED and bid.pdf_original_name == "方案.pdf"
    assert bid.pdf_sha256 == hashlib.sha256(PDF).hexdigest()
    assert kept_files(app) == []  # the kept copy went with the save


def test_a_new_choice_replaces_the_kept_pdf(team, need, client, db, app):
    token = staged_token(text(post_bid(client, need, approach="", filename="first.pdf")))
    again = post_bid(client, need, approach="", filename="second.pdf", staged_pdf=token)
    html = text(again)
    assert "已选文件：second.pdf" in html and "first.pdf" not in html
    assert len(kept_files(app)) == 2  # one file and its description: the first is gone


def test_a_kept_pdf_serves_only_the_account_that_chose_it(team, need, client, db, make_team, login):
    token = staged_token(text(post_bid(client, need, approach="")))
    other = make_team(name="他方团队")
    login(other.owner)
    response = post_bid(client, need, pdf=None, staged_pdf=token)
    assert response.status_code == 400
    assert marked(text(response), "pdf") and "已选文件" not in text(response)
    assert bids_of(db, other) == []


def test_a_bad_pdf_is_refused_first_with_the_other_errors_and_nothing_is_saved(team, need, client, db, app):
    response = post_bid(client, need, approach="", pdf=b"MZ\x90\x00 not a pdf", filename="report.pdf")
    html = text(response)
    assert response.status_code == 400
    assert marked(html, "pdf") and marked(html, "approach") and "只接受 PDF" in html
    assert bids_of(db, team) == [] and uploaded_files(app) == [] and kept_files(app) == []


def test_kept_uploads_are_swept_after_a_day(team, need, client, app):
    post_bid(client, need, approach="")
    assert kept_files(app)
    assert staged_uploads.sweep(datetime(2026, 3, 11, 3, 0)) == 1
    assert kept_files(app) == []


# --- limits and the 413 page ------------------------------------------------------------------------------

def test_limited_texts_carry_maxlength_and_the_characters_left(team, need, client):
    html = text(client.get(f"/team/needs/{need.id}/bid"))
    assert re.search(r'<textarea[^>]*id="approach"[^>]*maxlength="2000"', html)
    assert re.search(r'<textarea[^>]*id="innovation"[^>]*maxlength="1000"', html)
    assert 'data-counter-for="approach"' in html and "还可输入 2000 字" in html
    assert 'aria-live="polite"' in html and "/static/js/forms.js" in html


def test_the_counter_counts_what_was_typed(team, need, client):
    html = text(post_bid(client, need, approach="", innovation="十个字的创新点说明"))
    assert "还可输入 991 字" in html


def test_the_413_page_states_the_limit_and_leads_back_to_the_form(team, need, client, app):
    app.config["MAX_CONTENT_LENGTH"] = 2 * 1024 * 1024
    form_url = f"http://localhost/team/needs/{need.id}/bid"
    response = client.post(f"/team/needs/{need.id}/bid", data=bid_form(pdf=PDF + b"0" * 3 * 1024 * 1024),
                           content_type=MULTIPART, headers={"Referer": form_url})
    html = text(response)
    assert response.status_code == 413
    assert "2 MB" in html and f'href="/team/needs/{need.id}/bid"' in html and "返回表单" in html
    foreign = client.post(f"/team/needs/{need.id}/bid", data=bid_form(pdf=PDF + b"0" * 3 * 1024 * 1024),
                          content_type=MULTIPART, headers={"Referer": "https://evil.example/x"})
    assert "evil.example" not in text(foreign) and 'href="/team/"' in text(foreign)


# --- a withdrawn bid restored, the budget warning -------------------------------------------------------

def test_a_withdrawn_bid_s_text_and_file_are_restored_into_a_new_bid(team, need, client, db, make_bid, app):
    old = make_bid(need=need, team=team, status=BidStatus.WITHDRAWN, approach="撤回前的技术路线：多光谱成像。")
    old.withdrawn_at = datetime(2026, 3, 6)
    db.session.commit()
    offer = text(client.get(f"/team/needs/{need.id}/bid"))
    assert "恢复已撤回的报告内容" in offer and "撤回前的技术路线" not in offer
    restored = text(client.get(f"/team/needs/{need.id}/bid?restore=1"))
    assert "撤回前的技术路线：多光谱成像。" in restored
    assert f"已选文件：{old.pdf_original_name}" in restored
    data = bid_form(pdf=None, approach="撤回前的技术路线：多光谱成像。", staged_pdf=staged_token(restored))
    response = client.post(f"/team/needs/{need.id}/bid", data=data, content_type=MULTIPART)
    assert response.status_code == 302, text(response)
    new = db.session.scalar(sa.select(Bid).where(Bid.team_id == team.id, Bid.status == BidStatus.SUBMITTED))
    assert new.id != old.id and new.pdf_sha256 == hashlib.sha256(PDF).hexdigest()


def test_the_quote_field_carries_the_need_s_budget_for_the_warning(team, need, client):
    html = text(client.get(f"/team/needs/{need.id}/bid"))
    [quote] = re.findall(r'<input[^>]*\bid="price_wan"[^>]*>', html)
    assert 'data-budget="300.00"' in quote and 'data-budget-warning="budget-warning"' in quote
    assert re.search(r'id="budget-warning"[^>]*hidden', html)


def test_a_quote_above_the_budget_is_still_warned_after_saving(team, need, client):
    response = post_bid(client, need, price_wan="450.00")
    assert response.status_code == 302
    assert "高于该需求拟投入资金" in text(client.get(response.headers["Location"]))
