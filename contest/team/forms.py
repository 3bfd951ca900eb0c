"""The challenge-report (挑战报告) form a team fills in for a need."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DecimalField, HiddenField, IntegerField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from .. import once
from ..domain.errors import Invalid
from ..forms import REQUIRED, InRange, clean_text, max_len, required
from ..i18n import refusal_text
from ..services.bids import BID_FIELDS

DECLARATION = _l(
    "本团队郑重声明：所提交的挑战报告及附件内容真实、准确，系本团队原创；不侵犯任何第三方的知识产权"
    "及其他合法权益；本团队已阅读并自愿遵守本届中国创新挑战赛的各项规则，接受组织方的评审结果。"
)
MAX_PRICE_WAN = Decimal("9999999999.99")  # the column is Numeric(12, 2)
MAX_MONTHS = 120


def _text(label, n: int, rows: int, *validators):
    return TextAreaField(label, filters=[clean_text], validators=[*validators, max_len(n)], render_kw={"rows": rows})


class BidForm(FlaskForm):
    """A bid's text fields, its quote, its PDF and the declaration; saved as a draft or submitted."""

    approach = _text(_l("技术方案与路线"), 2000, 6, required())
    innovation = _text(_l("创新点"), 1000, 4, required())
    indicators = _text(_l("承诺的关键指标"), 1000, 4, required())
    plan = _text(_l("研发计划与里程碑"), 2000, 6, required())
    price_wan = DecimalField(_l("报价（万元）"), places=2, validators=[
        InputRequired(message=REQUIRED),
        InRange(Decimal("0.01"), MAX_PRICE_WAN, message=_l("报价须为大于 0、不超过 %(max)s 万元的金额",
                                                            max=f"{MAX_PRICE_WAN:,}")),
    ], render_kw={"inputmode": "decimal"})
    duration_months = IntegerField(_l("研发周期（月）"), validators=[
        InputRequired(message=REQUIRED),
        NumberRange(min=1, max=MAX_MONTHS, message=_l("研发周期须为 1 至 %(n)s 之间的整数（月）", n=MAX_MONTHS)),
    ], render_kw={"inputmode": "numeric"})
    ip_background = _text(_l("知识产权基础"), 1000, 3, Optional())
    strengths = _text(_l("团队优势"), 1000, 3, Optional())
    pdf = FileField(_l("挑战报告（PDF，不超过 20 MB）"), render_kw={"accept": "application/pdf,.pdf"})
    staged_pdf = HiddenField()  # the token of the PDF kept from a failed try (services.files.staged_uploads)
    declaration_accepted = BooleanField(_l("我已阅读并接受上述挑战声明"))
    save_draft = SubmitField(_l("保存草稿"))
    submit_report = SubmitField(_l("提交挑战报告"))
    submission_key = once.key_field()  # a double-clicked or replayed new report makes one bid

    def validate_price_wan(self, field):
        if field.data is not None and field.data.as_tuple().exponent < -2:
            raise ValidationError(_l("报价最多保留两位小数"))

    # Set by the edit view for a submitted report: saving it resubmits it, so the declaration stays required.
    resubmits = False

    # Set by the views (contest.team.bid_drafts): the chosen file's refusal and its status, the file kept from an
    # earlier try, a new upload that passed its checks, and whether the bid already has a stored file.
    pdf_refusal: str | None = None
    pdf_status = 400
    staged = None
    fresh_pdf = None
    has_saved_pdf = False

    def validate_pdf(self, field):
        if self.pdf_refusal:
            raise ValidationError(self.pdf_refusal)
        if (self.submit_report.data or self.resubmits) and not (self.fresh_pdf or self.staged or self.has_saved_pdf):
            raise ValidationError(refusal_text(Invalid("bid.report_required")))

    def validate_declaration_accepted(self, field):
        if (self.submit_report.data or self.resubmits) and not field.data:
            raise ValidationError(_l("提交前须阅读并接受挑战声明"))

    @property
    def submitting(self) -> bool:
        """True when the team pressed 提交挑战报告 rather than 保存草稿."""
        return bool(self.submit_report.data)

    def bid_data(self) -> dict:
        """The service's input: the bid's fields, without the file and the buttons."""
        data = {name: self[name].data for name in BID_FIELDS}
        data["ip_background"] = data["ip_background"] or ""
        data["strengths"] = data["strengths"] or ""
        return data

    def upload(self):
        """The uploaded file (a FileStorage), or None when no file was chosen."""
        return self.pdf.data if self.pdf.data and getattr(self.pdf.data, "filename", None) else None
