"""An edition's statistics for the organizer: figures, bar charts drawn as inline SVG on the server (no
script, no external asset), the registration export and the batch of its issued contracts (a ZIP of the
stored PDFs, or for small editions one merged PDF)."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...domain.choices import MarketLevel
from ...domain.contracts import KeyProgrammeCondition
from ...domain.errors import DomainError
from ...extensions import db
from ...forms import ConfirmForm
from ...i18n import refusal_text
from ...labels import label
from ...services import clock, jobs, markets
from ...services.contracts import batch as contract_batch, registration, statistics as contract_stats
from ...web import wan
from ...web.downloads import PDF, XLSX, ZIP, send_download
from ...web.lookups import edition_or_404
from ...web.refusals import refuse
from .. import bp

# Chart geometry, in SVG user units (the SVG scales to the width of the page).
# Narrow enough that the 14-unit text stays legible when a phone shrinks the chart to its width.
CHART_WIDTH, LABEL_WIDTH, VALUE_WIDTH = 480, 135, 80
BAR_HEIGHT, ROW_GAP, TOP = 18, 10, 6
LABEL_CHARS = 9
COLOURS = ("#0d6efd", "#198754", "#c35a00")  # Bootstrap primary, success, a darker orange (3:1 on white, WCAG 1.4.11)


@dataclass
class Bar:
    y: int
    width: float
    value: str
    fill: str


@dataclass
class ChartRow:
    label: str
    full_label: str
    label_y: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    """A horizontal bar chart: one row per category, one bar per series."""

    title: str
    series: list[tuple[str, str]]   # (name, colour)
    rows: list[ChartRow]
    height: int
    width: int = CHART_WIDTH
    bar_x: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT


def bar_chart(title: str, series: list[str], data: list[tuple[str, list]], fmt=str,
              first_colour: int = 0) -> Chart:
    """Lay out the bars of `data` [(category, [value per series])], scaled to the largest value."""
    colours = COLOURS[first_colour:] + COLOURS[:first_colour]
    plot = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = max((v for _label, values in data for v in values), default=0) or 1
    rows, y = [], TOP
    for name, values in data:
        # Elide the middle: channels often share a prefix (宁波市…分市场) and differ at the end.
        head = (LABEL_CHARS - 1) // 2
        short = name if len(name) <= LABEL_CHARS else name[:head] + "…" + name[head + 1 - LABEL_CHARS:]
        row = ChartRow(short, name, y + BAR_HEIGHT * len(values) // 2 + 5)
        for index, value in enumerate(values):
            row.bars.append(Bar(y, round(float(Decimal(value) / Decimal(largest)) * plot, 1), fmt(value),
                                colours[index % len(colours)]))
            y += BAR_HEIGHT
        rows.append(row)
        y += ROW_GAP
    return Chart(title, [(s, colours[i % len(colours)]) for i, s in enumerate(series)], rows, y)


def _wan(amount: Decimal) -> str:
    return wan(amount / 10000)


def edition_charts(stats: dict) -> list[Chart]:
    """Needs published and winners by field; signed amount (万元) by field and by source channel."""
    by_field, by_channel = stats["by_field"], stats["by_channel"]
    return [
        bar_chart(_("各领域发布需求与挑战第一名"), [_("发布需求"), _("挑战第一名")],
                  [(label(f), [r["needs_published"], r["winners"]]) for f, r in by_field.items()]),
        bar_chart(_("各领域签约金额（万元）"), [_("签约金额（万元）")],
                  [(label(f), [r["contract_amount_signed"]]) for f, r in by_field.items()
                   if r["contract_amount_signed"]], _wan, first_colour=2),
        bar_chart(_("各征集渠道签约金额（万元）"), [_("签约金额（万元）")],
                  [(c, [r["contract_amount_signed"]]) for c, r in by_channel.items() if r["contract_amount_signed"]],
                  _wan, first_colour=2),
    ]


def _market_asked(choices) -> tuple:
    """The market of ?market= among `choices` (None for the whole edition), and whether the value was unknown."""
    asked = request.args.get("market", "").strip()
    if not asked:
        return None, False
    number = int(asked) if asked.isascii() and asked.isdigit() and len(asked) <= 10 else None
    market = next((m for m in choices if m.id == number), None)
    return market, market is None


def _statistics_page(edition, status: int = 200):
    choices = markets.market_list(active_only=False)
    market, unknown = _market_asked(choices)
    stats = contract_stats.edition_stats(edition, market.id if market else None)
    # Contracts that meet some of the key-programme conditions, with the missing ones in the reader's language.
    almost = [(row, [refusal_text(KeyProgrammeCondition(c).missing) for c in row["missing"]])
              for row in stats["key_programme_almost"]]
    return render_template("organizer/statistics/edition.html", edition=edition, stats=stats,
                           charts=edition_charts(stats), almost=almost, market=market,
                           market_groups=[(level, [m for m in choices if m.level == level]) for level in MarketLevel],
                           unknown_market=unknown), status


@bp.get("/editions/<code>/statistics")
def edition_statistics(code: str):
    """The edition at a glance (or one market's part of it, ?market=): needs, bids, judges, winners, contracts,
    payments, with charts by field and channel."""
    return _statistics_page(edition_or_404(code))


@bp.get("/editions/<code>/registration.xlsx")
def registration_export(code: str):
    """Download the registration sheet: one row per signed contract, with the office's 登记编号 once recorded."""
    edition = edition_or_404(code)
    name = _("%(code)s-技术合同登记.xlsx", code=edition.code)
    return send_download(registration.registration_xlsx(edition), name, XLSX)


@bp.get("/editions/<code>/contracts.pdf")
def contracts_pdf(code: str):
    """Download every issued contract of the edition, as issued, in one PDF in number order, for printing."""
    edition = edition_or_404(code)
    try:
        content = contract_batch.batch_pdf(edition)
    except DomainError as e:
        return _statistics_page(edition, refuse(e))
    return send_download(content, _("%(code)s-合同汇总.pdf", code=edition.code), PDF)


@bp.get("/editions/<code>/contracts.zip")
def contracts_zip(code: str):
    """Download every issued contract of the edition, as issued, one PDF each in number order, in a ZIP."""
    edition = edition_or_404(code)
    # Written into a temporary file one contract at a time: a thousand contracts make hundreds of megabytes.
    with tempfile.NamedTemporaryFile(prefix="contracts-", suffix=".zip", delete=False) as out:
        path = Path(out.name)
        try:
            contract_batch.write_contracts_zip(edition, out)
        except DomainError as e:
            path.unlink(missing_ok=True)
            return _statistics_page(edition, refuse(e))
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    try:
        return send_download(path, _("%(code)s-合同汇总.zip", code=edition.code), ZIP)
    finally:
        path.unlink(missing_ok=True)  # the response holds the open file; the name goes now


bp.add_app_template_global(contract_stats.signed_totals, "signed_contract_totals")


@bp.post("/editions/<code>/contracts-print")
def start_contracts_print(code: str):
    """Batch printing as a job (a thousand contracts are hundreds of megabytes): the ZIP of every issued contract,
    as issued, in number order; the job's page shows the progress and then the file."""
    edition = edition_or_404(code)
    if not ConfirmForm().validate_on_submit():
        flash(_("页面已过期，请刷新后重试"), "danger")
        return _statistics_page(edition, 400)
    job = jobs.submit("contracts.print", {}, actor=current_user, now=clock.now(), edition=edition)
    db.session.commit()
    return redirect(url_for(".job", job_id=job.id))
