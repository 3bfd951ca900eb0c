"""Work inside the app for `make bench-scale`, one command per process (the harness reads its peak memory):

    python benchmarks/scale/jobs.py pages CODE PASSWORD      # the pages to measure, as JSON
    python benchmarks/scale/jobs.py score-csv CODE           # and score-xlsx, registration-xlsx, standings,
                                                             # start (the app started, nothing done)

The instance comes from the environment (CONTEST_INSTANCE, DATABASE_URL, SECRET_KEY). A job writes what it
produces to a temporary file (exports stream, as their jobs do) and prints {"bytes": …, "rows": …} as JSON.
The functions are called where they exist in this version of the app: the streamed writers when present,
else the in-memory ones.
"""
from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
import sqlalchemy.orm  # noqa: E402,F401

from contest import create_app  # noqa: E402
from contest.extensions import db  # noqa: E402
from contest.models import Edition  # noqa: E402


def pages(code: str, password: str) -> dict:
    from contest.scale.pages import sample_pages

    return {"pages": [{"key": p.key, "role": p.role.value if p.role else None, "username": p.username,
                       "path": p.path, "password": password if p.username else None} for p in sample_pages(code)]}


def _scores(edition: Edition, fmt: str) -> dict:
    from contest.services.judging import exports

    with tempfile.TemporaryFile() as out:
        streamed = getattr(exports, f"write_scores_{fmt}", None)
        if streamed is not None:
            rows = streamed(edition, out, judges_by_code=False)
        else:
            header, table = exports.score_rows(edition, judges_by_code=False)
            out.write((exports.to_csv if fmt == "csv" else exports.to_xlsx)(header, table))
            rows = len(table)
        return {"bytes": out.tell(), "rows": rows}


def registration(edition: Edition) -> dict:
    from contest.services.contracts.registration import registration_xlsx, registration_rows

    content = registration_xlsx(edition)
    return {"bytes": len(content), "rows": len(registration_rows(edition)[1])}


def standings(edition: Edition) -> dict:
    from contest.services.judging.standings import edition_standings

    found = edition_standings(edition)
    return {"rows": sum(len(s.bids) for s in found), "needs": len(found)}


def assignment(edition: Edition) -> dict:
    """The automatic assignment of every judged bid of the edition (5 judges each, the edition's active judges),
    the algorithm alone: the slots are read, the flow solved, nothing written."""
    import time

    from contest.domain.assignment import BidSlot, assign_judges
    from contest.domain.conflicts import bid_conflict_orgs
    from contest.domain.states import BidStatus
    from contest.models import Bid, Need, Organization, Team, TeamMember
    from contest.services.judging.judges import active_judges, judge_slots

    lead, firm = sa.orm.aliased(Organization), sa.orm.aliased(Organization)
    rows = db.session.execute(
        sa.select(Bid.id, Bid.team_id, Need.field, lead.name, firm.name).join(Need, Need.id == Bid.need_id)
        .join(Team, Team.id == Bid.team_id).join(lead, lead.id == Team.lead_org_id)
        .join(firm, firm.id == Need.firm_org_id)
        .where(Need.edition_id == edition.id, Bid.status.notin_((BidStatus.DRAFT, BidStatus.WITHDRAWN)))).all()
    members: dict = {}
    for team_id, org in db.session.execute(sa.select(TeamMember.team_id, TeamMember.organization_name)):
        members.setdefault(team_id, []).append(org)
    bids = [BidSlot(b, f.value, bid_conflict_orgs(lo, members.get(t, []), fo)) for b, t, f, lo, fo in rows]
    judges = judge_slots(active_judges())
    started = time.perf_counter()
    result = assign_judges(bids, judges, per_bid=5, seed=0)
    return {"bids": len(bids), "judges": len(judges), "short": len(result.short),
            "solve_seconds": round(time.perf_counter() - started, 2)}


def contracts_zip(edition: Edition) -> dict:
    from contest.services.contracts.batch import write_contracts_zip

    with tempfile.TemporaryFile() as out:
        count = write_contracts_zip(edition, out)
        return {"bytes": out.tell(), "contracts": count}


def _one_contract(edition: Edition):
    from contest.models import Contract

    return db.session.scalar(sa.select(Contract).where(Contract.edition_id == edition.id, Contract.pdf.is_not(None))
                             .order_by(Contract.id).limit(1))


def contract_render(edition: Edition) -> dict:
    """One contract rendered by WeasyPrint, as issuing does (warm: the second rendering is timed)."""
    import time

    from contest.pdf.contract import render_contract
    from contest.services.contracts.document import contract_context

    context = contract_context(_one_contract(edition))
    render_contract(context)
    started = time.perf_counter()
    content = render_contract(context)
    return {"bytes": len(content), "render_seconds": round(time.perf_counter() - started, 3)}


def contract_chromium(edition: Edition) -> dict:
    """The same contract's HTML printed to PDF by Debian's Chromium (headless), for comparison."""
    import subprocess
    import time

    from flask import current_app, render_template

    from contest.services.contracts.document import contract_context

    context = contract_context(_one_contract(edition))
    with tempfile.TemporaryDirectory() as folder:
        page, pdf = Path(folder) / "contract.html", Path(folder) / "contract.pdf"
        with current_app.test_request_context():
            html = render_template("pdf/contract.html", c=context, qr_svg="")
        static = (ROOT / "static").as_uri()
        page.write_text(html.replace('href="/static/', f'href="{static}/'), encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", f"--print-to-pdf={pdf}", "--no-pdf-header-footer",
                        page.as_uri()], check=True, capture_output=True, timeout=120)
        return {"bytes": pdf.stat().st_size, "print_seconds": round(time.perf_counter() - started, 3)}


JOBS = {"start": lambda e: {"edition": e.code}, "score-csv": lambda e: _scores(e, "csv"),
        "assignment": assignment, "contracts-zip": contracts_zip, "contract-render": contract_render,
        "contract-chromium": contract_chromium,
        "score-xlsx": lambda e: _scores(e, "xlsx"),
        "registration-xlsx": registration, "standings": standings}


def main() -> None:
    what, code = sys.argv[1], sys.argv[2]
    app = create_app()
    with app.app_context():
        if what == "pages":
            found = pages(code, sys.argv[3])
        else:
            edition = db.session.scalar(sa.select(Edition).where(Edition.code == code))
            found = JOBS[what](edition)
        db.session.remove()
        db.engine.dispose()
    print(json.dumps(found, ensure_ascii=False))


if __name__ == "__main__":
    main()
