"""Rubrics: the default ones of each new edition, and the organizer's edits until scoring starts."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ...domain.errors import Conflict
from ...domain.permissions import ensure_organizer
from ...domain.rubric import DEFAULT_RUBRICS, Criterion, Round, check_rubric
from ...domain.states import SheetStatus
from ...extensions import db
from ...models import Bid, Edition, Need, Rubric, RubricCriterion, ScoreItem, ScoreSheet, User
from ..records import audit


def ensure_default_rubrics(edition: Edition) -> None:
    """Give the edition DOMAIN.md's default rubric for every round it has none for."""
    db.session.flush()
    present = set(db.session.scalars(sa.select(Rubric.round).where(Rubric.edition_id == edition.id)))
    for round_, criteria in DEFAULT_RUBRICS.items():
        if round_ not in present:
            db.session.add(Rubric(edition_id=edition.id, round=round_, criteria=[
                RubricCriterion(position=i, name=c.name, description=c.description, max_points=c.max_points)
                for i, c in enumerate(criteria, start=1)
            ]))
    db.session.flush()


def rubric_for(edition_id: int, round_: Round) -> Rubric:
    """The edition's rubric of a round, criteria loaded in order."""
    rubric = db.session.scalar(
        sa.select(Rubric).where(Rubric.edition_id == edition_id, Rubric.round == round_)
        .options(selectinload(Rubric.criteria))
    )
    if rubric is None:
        raise LookupError(f"edition {edition_id} has no {round_.value} rubric")
    return rubric


def round_locked(edition_id: int, round_: Round) -> bool:
    """True once any sheet of the round has been submitted: the rubric is then frozen."""
    return db.session.scalar(
        sa.select(sa.func.count(ScoreSheet.id))
        .join(Bid, Bid.id == ScoreSheet.bid_id).join(Need, Need.id == Bid.need_id)
        .where(Need.edition_id == edition_id, ScoreSheet.round == round_,
               ScoreSheet.status == SheetStatus.SUBMITTED)
    ) > 0


def check_edit(rubric: Rubric, actor: User, now=None) -> None:
    """Refuse rewriting the round's criteria now: organizers only, no sheet of the round submitted yet."""
    ensure_organizer(actor)
    if round_locked(rubric.edition_id, rubric.round):
        raise Conflict("rubric.locked")


def update_rubric(rubric: Rubric, actor: User, criteria: list[Criterion]) -> Rubric:
    """The organizer rewrites a round's criteria; refused once a sheet of that round is submitted."""
    check_edit(rubric, actor)
    check_rubric(criteria)
    before = [(c.name, str(c.max_points)) for c in rubric.criteria]
    kept = rubric.criteria[: len(criteria)]
    for old in rubric.criteria[len(criteria):]:
        # Draft points given on a criterion that no longer exists go with it.
        db.session.execute(sa.delete(ScoreItem).where(ScoreItem.criterion_id == old.id))
        rubric.criteria.remove(old)
    for position, new in enumerate(criteria, start=1):
        if position <= len(kept):
            row = kept[position - 1]
            row.name, row.description, row.max_points = new.name.strip(), new.description.strip(), new.max_points
        else:
            rubric.criteria.append(RubricCriterion(position=position, name=new.name.strip(),
                                                   description=new.description.strip(), max_points=new.max_points))
    audit.record(actor, "rubric.update", rubric, {
        "round": rubric.round.value, "before": before,
        "after": [(c.name, str(c.max_points)) for c in criteria],
    })
    return rubric
