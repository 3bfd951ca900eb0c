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


JOBS = {"start": lambda e: {"edition": e.code}, "score-csv": lambda e: _scores(e, "csv"),
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
