"""The judge's forms: the score sheet (one number per criterion, rendered from the rubric, a comment, the
version) and a recusal with its reason."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SubmitField, TextAreaField
from wtforms.validators import Optional

from ..domain.errors import Invalid
from ..domain.rubric import parse_points
from ..forms import int_or_none, max_len, required
from ..i18n import refusal_text

POINTS_PREFIX = "points-"
# A posted key that names no criterion id at all: the service refuses it like a foreign criterion.
UNKNOWN_CRITERION = -1
RECUSAL_LIMIT = 500


class SheetForm(FlaskForm):
    """The criteria inputs are named points-<criterion id>; the rubric decides which exist."""

    comment = TextAreaField(_l("评语"), validators=[Optional(), max_len(2000)])
    version = HiddenField()
    point_errors: dict[int, str] = {}  # by criterion id, set by validate_sheet
    save_draft = SubmitField(_l("保存草稿"))
    submit_sheet = SubmitField(_l("提交评分"))

    def prefill(self, sheet) -> None:
        if sheet is not None:
            self.comment.data = sheet.comment
            self.version.data = str(sheet.version)

    @property
    def submitting(self) -> bool:
        return bool(self.submit_sheet.data)

    def validate_sheet(self, criteria) -> bool:
        """The form's own checks and every criterion's points at once (a draft may leave some empty); each
        criterion's refusal is kept under it in `point_errors`."""
        valid = self.validate_on_submit()
        posted, self.point_errors = self.points(), {}
        for criterion in criteria:
            raw = posted.get(criterion.id)
            if (raw is None or not str(raw).strip()) and not self.submitting:
                continue
            try:
                parse_points(raw, criterion.max_points, criterion.name)
            except Invalid as exc:
                self.point_errors[criterion.id] = refusal_text(exc)
        return valid and not self.point_errors

    def version_number(self) -> int | None:
        """The sheet version the page was rendered from (None: the page saw no sheet yet, or sent no number)."""
        return int_or_none((self.version.data or "").strip())

    @staticmethod
    def points() -> dict[int, str]:
        """The raw points posted, keyed by criterion id."""
        found: dict[int, str] = {}
        for key, value in request.form.items():
            if key.startswith(POINTS_PREFIX):
                criterion_id = int_or_none(key[len(POINTS_PREFIX):])
                found[UNKNOWN_CRITERION if criterion_id is None else criterion_id] = value
        return found


class RecuseForm(FlaskForm):
    """A judge steps back from one bid: the reason is required and kept."""

    reason = TextAreaField(_l("回避理由"), validators=[required(), max_len(RECUSAL_LIMIT)], render_kw={"rows": 4},
                           description=_l("组织方可以看到回避理由"))
