"""A whole generated edition, stage by stage, as tables of rows in the order they can be inserted.

Pure: the same sizes, seed, code, stage, starting ids and rubric give the same rows. The database is
read before (highest ids, the rubric's criteria) and written after, by write.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..domain.states import EditionStage
from .bidding import make_bidding, tables
from .contracts import Contracts, make_contracts
from .final import Final, run_final
from .judging import Criteria, Online, assign_and_score, choose_finalists, open_review
from .people import make_people
from .plan import Calendar, Ids, Sizes, Stage, Table

EDITION_STAGE = {Stage.BIDDING: EditionStage.OPEN, Stage.REVIEW: EditionStage.ONLINE_REVIEW,
                 Stage.FINAL: EditionStage.FINAL, Stage.RESULTS: EditionStage.RESULTS,
                 Stage.CONTRACTS: EditionStage.RESULTS}


def edition_row(code: str, stage: Stage, edition_id: int, cal: Calendar) -> dict:
    """The edition with its calendar, the default judging settings and the stage it has reached."""
    return dict(id=edition_id, code=code, name=f"中国创新挑战赛（{code}）", year=cal.year,
                collection_start=cal.collection_start, collection_end=cal.collection_end,
                bidding_deadline=cal.bidding_deadline, review_start=cal.review_start, review_end=cal.review_end,
                final_date=cal.final_date, results_date=cal.results_date, created_at=cal.created_at,
                stage=EDITION_STAGE[stage], judges_per_bid=5, min_sheets=3, finalists_per_need=3,
                qualifying_score=Decimal("60"), online_weight=Decimal("0.30"), onsite_weight=Decimal("0.70"),
                normalize_online=False, objection_days=5,
                results_published_at=cal.results_at if stage.reaches(Stage.RESULTS) else None)


@dataclass
class Dataset:
    """The rows to insert (in foreign-key order), the files to store and what the summary tells."""

    tables: list[Table]
    files: list[tuple[str, str, bytes]]
    counts: dict[str, int] = field(default_factory=dict)
    short: dict[int, int] = field(default_factory=dict)      # bid id -> judges missing
    contracts: Contracts | None = None


def _merge(*parts: Table) -> Table:
    merged = Table(parts[0].model, parts[0].columns)
    for part in parts:
        merged.rows += part.rows
    return merged


def generate(sizes: Sizes, seed: int, code: str, stage: Stage, edition: dict, highest: dict[str, int],
             password_hash: str, online_criteria: Criteria, onsite_criteria: Criteria,
             cal: Calendar | None = None) -> Dataset:
    """Every row of the edition up to `stage`; `edition` is its row (edition_row), already written."""
    cal = cal or Calendar()
    ids = Ids(highest)
    people = make_people(sizes, seed, code, ids, password_hash, cal)
    bidding = make_bidding(sizes, seed, code, stage, ids, people, cal)
    online: Online | None = None
    final: Final | None = None
    contracts: Contracts | None = None
    if stage.reaches(Stage.REVIEW):
        judged = open_review(bidding.needs, cal)
        online = assign_and_score(judged, people, online_criteria, stage, ids, seed, code, cal)
    if stage.reaches(Stage.FINAL):
        choose_finalists(bidding.needs, online.sheets, cal)
    if stage.reaches(Stage.RESULTS):
        final = run_final(bidding.needs, people, online.sheets, onsite_criteria, ids, seed, code, cal, online.notices)
    if stage.reaches(Stage.CONTRACTS):
        contracts = make_contracts(bidding.needs, final.winners, sizes.contracts, people, edition, ids, seed, code,
                                   cal)
    needs, bids = tables(bidding.needs, edition["id"])
    ordered = [people.orgs, people.users, people.teams, people.members, people.expertise, people.conflicts,
               needs, bidding.reviews, bids]
    if online is not None:
        sheets = [online.sheets.sheets] + ([final.sheets.sheets] if final else [])
        items = [online.sheets.items] + ([final.sheets.items] if final else [])
        ordered += [online.assignments, _merge(*sheets), _merge(*items)]
    if final is not None:
        ordered += [final.panels, final.decisions]
    if online is not None:
        ordered.append(online.notices)
    if contracts is not None:
        ordered += [contracts.contracts, contracts.instalments, contracts.acceptances, contracts.payments]
    files = bidding.files + (contracts.files if contracts else [])
    counts = {t.model.__tablename__: len(t.rows) for t in ordered}
    counts["declined"] = final.declined if final else 0
    counts["signed"] = contracts.signed if contracts else 0
    return Dataset(ordered, files, counts, online.short if online else {}, contracts)
