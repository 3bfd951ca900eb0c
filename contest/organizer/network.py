"""The network's statistics for the organizer (网络统计): every market's figures for an edition or a year, grouped
by level with subtotals and totals, and the same table as an XLSX workbook."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from ..services import clock
from ..services.editions import all_editions
from ..services.network import statistics as network
from ..web.downloads import XLSX, send_download
from . import bp


def _period():
    """The period of ?edition=<code> or ?year=<yyyy>; anything else gives the latest edition."""
    code = request.args.get("edition", "").strip()[:20]
    year = request.args.get("year", "").strip()
    return network.period_for(code, int(year) if year.isascii() and year.isdigit() and len(year) == 4 else None,
                              now=clock.now())


@bp.get("/network/statistics")
def network_statistics():
    """Every market's needs, bids, awards, contracts, amounts, active brokers and events, for an edition or year."""
    now = clock.now()
    table = network.network_table(_period(), now=now)
    editions = all_editions()
    years = sorted({e.year for e in editions} | {clock.beijing_date(now).year}, reverse=True)
    return render_template("organizer/network.html", table=table, headers=network.headers(),
                           measures=network.MEASURES, amounts=network.AMOUNTS, editions=editions, years=years,
                           title=network.period_title(table.period))


@bp.get("/network/statistics.xlsx")
def network_export():
    """Download the network's table (markets, subtotals per level, totals) for the same edition or year."""
    table = network.network_table(_period(), now=clock.now())
    period = table.period
    stem = period.edition.code if period.edition is not None else str(period.year)
    return send_download(network.network_xlsx(table), _("%(period)s-网络统计.xlsx", period=stem), XLSX)
