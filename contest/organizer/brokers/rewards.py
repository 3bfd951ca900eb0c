"""An edition's brokers for the organizer: their statistics (per broker and per market, filtered by market), the
reward rule, and the payable list it produces, on a page and as an Excel workbook."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.errors import DomainError
from ...extensions import db
from ...forms import int_or_none
from ...services import clock, markets
from ...services.brokers import payable_export, rewards, statistics
from ...web.downloads import XLSX, send_recorded
from ...web.lookups import edition_or_404
from ...web.refusals import refuse
from .. import bp
from .forms import RewardRuleForm


def _market_asked(known) -> int | None:
    """The ?market= filter: the id of a market on file, else None (all markets)."""
    market_id = int_or_none(request.args.get("market", type=str))
    return market_id if market_id in {m.id for m in known} else None


@bp.get("/editions/<code>/brokers")
def broker_statistics(code: str):
    """The edition's brokers: needs and bids brought, winners, signed contracts and their amounts; per market."""
    edition = edition_or_404(code)
    known = markets.market_list(active_only=False)
    market_id = _market_asked(known)
    rows, by_market = statistics.edition_statistics(edition, market_id)
    return render_template("organizer/broker_statistics.html", edition=edition, rows=rows, by_market=by_market,
                           markets=known, market_id=market_id)


def _rule_page(edition, form, status: int = 200):
    return render_template("organizer/reward_rule.html", edition=edition, form=form), status


@bp.route("/editions/<code>/broker-reward", methods=["GET", "POST"])
def reward_rule(code: str):
    """Set the edition's broker reward: a rate of the technology amount, a cap per contract, the firm side's share."""
    edition = edition_or_404(code)
    rule = rewards.rule_of(edition)
    form = RewardRuleForm(obj=rule)
    if not form.validate_on_submit():
        return _rule_page(edition, form, 400 if form.errors else 200)
    try:
        rewards.save_rule(edition, current_user, rate_pct=form.rate_pct.data, cap_yuan=form.cap_yuan.data,
                          firm_share_pct=form.firm_share_pct.data, now=clock.now())
    except DomainError as e:
        return _rule_page(edition, form, refuse(e))
    db.session.commit()
    flash(_("已保存%(edition)s的经纪人奖励规则", edition=edition.name), "success")
    return redirect(url_for(".broker_payables", code=edition.code))


@bp.get("/editions/<code>/broker-payables")
def broker_payables(code: str):
    """What the reward rule pays each broker for the edition's signed contracts, with a total per broker."""
    edition = edition_or_404(code)
    rule = rewards.rule_of(edition)
    payables = rewards.payables(edition, rule)
    return render_template("organizer/broker_payables.html", edition=edition, rule=rule, payables=payables,
                           FIRM=rewards.FIRM)


@bp.get("/editions/<code>/broker-payables.xlsx")
def broker_payables_export(code: str):
    """Download the payable list as an Excel workbook (recorded in the audit trail)."""
    edition = edition_or_404(code)
    data = payable_export.payable_xlsx(edition, rewards.rule_of(edition))
    return send_recorded("broker.payables_export", edition, data, _("%(code)s-经纪人奖励应付清单.xlsx", code=edition.code),
                         XLSX)
