"""Lists in Chromium: the screening queue's bulk decision asks first (declining sends nothing) and then returns the
ticked needs together; a standings table is a stack of labelled cards at 390 px, with no sideways scroll."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from contest.domain.states import NeedStatus
from contest.extensions import db
from contest.models import AuditEvent, Edition, Need

from .live import DEMO_PASSWORD, login, served_demo


@pytest.fixture(scope="module")
def own_demo(tmp_path_factory, databases):
    """A demo of its own (this test changes needs the shared demo's other tests read): (app, base URL)."""
    with served_demo(tmp_path_factory, databases, "e2e-lists") as served:
        yield served


def _status(app, need_id: int) -> NeedStatus:
    with app.app_context():
        status = db.session.get(Need, need_id).status
        db.session.remove()
    return status


def test_bulk_return_asks_first_then_returns_each_ticked_need(page, own_demo):
    app, url = own_demo
    login(page, url, "organizer", DEMO_PASSWORD)
    page.goto(f"{url}/organizer/queue")
    boxes = page.locator('#bulk-review input[name="need"]')
    assert boxes.count() >= 2, "the demo has needs waiting for screening"
    picked = [int(boxes.nth(i).get_attribute("value")) for i in range(2)]
    for i in range(2):
        boxes.nth(i).check()
    page.get_by_label("退回修改").check()
    page.locator("#bulk-review textarea[name=comment]").fill("请补充量化指标和验收方式")

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="提交批量甄别").click()   # a dismissed confirm stops the submit event itself
    assert asked and "确定提交吗" in asked[0]
    assert page.url.endswith("/organizer/queue") and [_status(app, n) for n in picked] == [NeedStatus.SUBMITTED] * 2

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="提交批量甄别").click()
    assert "已退回企业修改 2 项需求" in page.locator(".alert-success").inner_text()
    assert [_status(app, n) for n in picked] == [NeedStatus.RETURNED] * 2
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent.object_id).where(AuditEvent.action == "need.return")).all()
        db.session.remove()
    assert set(picked) <= set(events)
    for need_id in picked:
        assert page.locator(f'tr[data-need="{need_id}"]').count() == 0


def test_a_standings_table_stacks_as_labelled_cards_at_390_px(page, demo_server):
    app, url = demo_server
    with app.app_context():
        code = db.session.scalar(sa.select(Edition.code).where(Edition.code == "CIC8-NB"))
        db.session.remove()
    login(page, url, "organizer", DEMO_PASSWORD)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{url}/organizer/editions/{code}/standings")
    rows = page.locator("section[data-need] table.table-stack tbody tr[data-bid]")
    assert rows.count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    cell = rows.first.locator("td").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert re.sub(r'^"|"$', "", label) == cell.get_attribute("data-label") == "揭榜团队"
    assert page.locator("section[data-need] table.table-stack thead").evaluate(
        "h => h.getBoundingClientRect().height") <= 1   # the header row is hidden (read by screen readers only)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"
