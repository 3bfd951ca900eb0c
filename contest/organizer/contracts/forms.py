"""The contract forms: the terms of a draft (parties and instalments included), the signing,
acceptances, payments, the registration and a void with its reason. Amounts are entered in yuan."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField, DecimalField, EmailField, Form, FormField, IntegerField, SelectField, StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, NumberRange, Optional, ValidationError

from ... import once
from ...domain import contract_clauses, registration_codes
from ...domain import contracts as rules
from ...domain.contracts import (
    AMOUNT_MAX, AMOUNT_MIN, NONTECH_PARTS, ContractType, DisputeResolution, InstalmentTerm, IpOwnership,
)
from ...domain.errors import Invalid
from ...domain.organizations import normalize_credit_code
from ...forms import REQUIRED, InRange, RowList, add_error, check_into, max_len, required
from ...i18n import refusal_text
from ...labels import choices
from ...services.contracts.drafting import CLASSIFICATION, PARTY_FIELDS, TERM_FIELDS, party

INSTALMENT_ROWS = 6
LONG_TEXT = 3000


def _text(label, n: int = LONG_TEXT, rows: int = 3, **kw):
    return TextAreaField(label, validators=[Optional(), max_len(n)], render_kw={"rows": rows}, **kw)


def _money(label, **kw):
    return DecimalField(label, validators=kw.pop("validators", [Optional()]), render_kw={"inputmode": "decimal"}, **kw)


def _date(label, *validators):
    return DateField(label, validators=list(validators) or [Optional()])


class PartyForm(Form):
    """A party's details as they stand in the contract (a snapshot, corrected here without touching the account)."""

    name = StringField(_l("名称"), validators=[required(), max_len(120)])
    address = StringField(_l("住所地"), validators=[Optional(), max_len(200)])
    legal_rep = StringField(_l("法定代表人"), validators=[Optional(), max_len(50)])
    contact_name = StringField(_l("项目联系人"), validators=[Optional(), max_len(50)])
    contact_phone = StringField(_l("联系电话"), validators=[Optional(), max_len(30)])
    contact_email = EmailField(_l("电子邮箱"), validators=[Optional(), Email(message=_l("邮箱格式不正确")), max_len(120)])
    fax = StringField(_l("传真"), validators=[Optional(), max_len(30)])
    credit_code = StringField(_l("统一社会信用代码"), validators=[Optional(), max_len(20)])
    bank_name = StringField(_l("开户银行"), validators=[Optional(), max_len(120)])
    bank_address = StringField(_l("开户银行地址"), validators=[Optional(), max_len(200)])
    bank_account = StringField(_l("账号"), validators=[Optional(), max_len(40)])

    def validate_credit_code(self, field):
        if field.data:
            try:
                field.data = normalize_credit_code(field.data)
            except Invalid as exc:
                raise ValidationError(refusal_text(exc)) from exc


class InstalmentForm(Form):
    """One instalment: an amount in yuan, a due date, the deliverable or acceptance that triggers it."""

    amount = _money(_l("金额（元）"))
    due = _date(_l("到期日"))
    condition = StringField(_l("付款条件（交付物或验收）"), validators=[Optional(), max_len(500)])

    @property
    def blank(self) -> bool:
        return self.amount.raw_data in (None, [], [""]) and not self.due.data and not (self.condition.data or "").strip()

    def validate_condition(self, field):
        if not self.blank and (self.amount.data is None or self.due.data is None or not (field.data or "").strip()):
            raise ValidationError(_l("每期须同时填写金额、到期日和付款条件"))


def _clause_field(clause: contract_clauses.Clause):
    """The form field of one blank of the model text, by its kind, labelled in the reader's language."""
    label = _l(clause.label)
    if clause.kind == "days":
        return IntegerField(label, validators=[Optional(), NumberRange(
            min=1, max=365, message=_l("天数须为 1 至 365 天"))])
    if clause.kind == "percent":
        return IntegerField(label, validators=[Optional(), NumberRange(
            min=0, max=100, message=_l("比例须为 0 至 100"))])
    if clause.kind in ("party", "choice"):
        # Checked by contract_clauses.check (its refusal names the clause); one not posted keeps its saved value.
        return SelectField(label, choices=[(value, _l(words)) for value, words in clause.options],
                           validate_choice=False)
    if clause.kind == "line":
        return StringField(label, validators=[Optional(), max_len(contract_clauses.LINE_MAX)])
    return _text(label, contract_clauses.TEXT_MAX)


# The model texts' other blanks (contest.domain.contract_clauses), one field each; a page shows those of the
# contract's type.
ClausesForm = type("ClausesForm", (Form,), {c.key: _clause_field(c) for c in contract_clauses.CLAUSES})


def _codes(table: str) -> list[tuple[str, str]]:
    names = registration_codes.table(table, get_locale().language)
    return [("", "—")] + [(code, f"{code} {name}") for code, name in names.items()]


class ContractTermsForm(FlaskForm):
    """Every term of a draft contract, in the model text's order."""

    contract_type = SelectField(_l("合同类型（示范文本）"), choices=choices(ContractType), coerce=ContractType)
    project_name = StringField(_l("项目名称"), validators=[required(), max_len(200)])
    sign_place = StringField(_l("签订地点"), validators=[required(), max_len(100)])
    sign_date = _date(_l("签订时间（计划）"))
    valid_from = _date(_l("有效期限：自"))
    valid_to = _date(_l("有效期限：至"))
    party_a = FormField(PartyForm, label=_l("委托方（甲方）"))
    party_b = FormField(PartyForm, label=_l("受托方（乙方）"))
    goal = _text(_l("技术目标"))
    content = _text(_l("技术内容"), rows=5)
    method = _text(_l("技术方法和路线"), rows=5)
    rd_plan = _text(_l("研究开发计划"), rows=5)
    firm_materials = _text(_l("甲方提供的技术资料清单"))
    total_amount = _money(_l("研究开发经费总额（元）"), validators=[
        InputRequired(message=REQUIRED),
        InRange(AMOUNT_MIN, AMOUNT_MAX, message=_l("%(what)s须在 0.01 元至 999,999,999,999.99 元之间",
                                                   what=_l("合同金额")))])
    equipment_amount = _money(_l("其中：设备费（元）"))
    instrument_amount = _money(_l("其中：仪器费（元）"))
    parts_amount = _money(_l("其中：零部件费（元）"))
    materials_amount = _money(_l("其中：原材料费（元）"))
    other_amount = _money(_l("其中：其他非技术性费用（元）"))
    instalments = RowList(FormField(InstalmentForm), label=_l("支付方式（分期）"), min_entries=INSTALMENT_ROWS,
                          max_entries=20)
    funds_use = _text(_l("研究开发经费的使用"))
    acceptance_criteria = _text(_l("验收标准"))
    acceptance_method = _text(_l("验收方式"))
    ip_ownership = SelectField(_l("技术成果的知识产权归属"), choices=choices(IpOwnership), coerce=IpOwnership)
    ip_detail = _text(_l("知识产权的其他约定"))
    confidentiality_years = IntegerField(_l("保密期限（年）"), validators=[
        InputRequired(message=REQUIRED), NumberRange(min=0, max=50, message=_l("保密期限须为 0 至 50 年"))])
    risk_terms = _text(_l("技术风险的承担"))
    after_sales = _text(_l("技术服务和指导"))
    breach_terms = _text(_l("违约责任"))
    dispute = SelectField(_l("争议解决方式"), choices=choices(DisputeResolution), coerce=DisputeResolution)
    arbitration_commission = StringField(_l("仲裁委员会"), validators=[Optional(), max_len(100)])
    copies = IntegerField(_l("合同份数"), validators=[
        InputRequired(message=REQUIRED), NumberRange(min=2, max=20, message=_l("合同份数须为 2 至 20 份"))])
    other_terms = _text(_l("其他约定"))
    clauses = FormField(ClausesForm, label=_l("示范文本的其他条款"))
    tech_field = SelectField(_l("技术领域"))
    ip_category = SelectField(_l("知识产权类别"))
    socio_goal = SelectField(_l("社会经济目标"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, (table, _what) in CLASSIFICATION.items():
            self[key].choices = _codes(table)

    def validate_total_amount(self, field):
        if field.data is not None and field.data.as_tuple().exponent < -2:
            raise ValidationError(_l("金额最多保留两位小数（分）"))

    schedule_errors: list[str] = []  # the instalment schedule's refusals, shown under its table

    def validate(self, extra_validators=None) -> bool:
        """The fields' own checks, then the terms' cross-field rules (services.contracts.drafting checks them
        again), each refusal under the field it concerns: all of them in one round."""
        valid = super().validate(extra_validators)
        self.schedule_errors = []
        total = None if self.total_amount.errors else self.total_amount.data
        parts = [self[key] for key in NONTECH_PARTS]
        if total is not None and not any(f.errors for f in parts):
            target = next((f for f in parts if f.data), parts[0])
            valid &= check_into(target, rules.check_nontech, total, {f.name: f.data or Decimal(0) for f in parts})
        rows_valid = not any(row.errors for row in self.instalments)
        if total is not None and rows_valid and not self.sign_date.errors:
            try:
                rules.check_schedule(total, self.instalment_terms(), self.sign_date.data)
            except Invalid as exc:
                self.schedule_errors, valid = [refusal_text(exc)], False
        start, end = self.valid_from.data, self.valid_to.data
        if start and end and end < start:
            add_error(self.valid_to, refusal_text(Invalid("contract.validity_reversed")))
            valid = False
        dues = [term.due for term in self.instalment_terms() if term.due] if rows_valid else []
        if end and dues and end < max(dues):
            add_error(self.valid_to, refusal_text(Invalid("contract.validity_before_last_payment", due=max(dues))))
            valid = False
        if self.dispute.data == DisputeResolution.ARBITRATION and not (self.arbitration_commission.data or "").strip():
            add_error(self.arbitration_commission, refusal_text(Invalid("contract.arbitration_commission_missing")))
            valid = False
        return bool(valid)

    def terms(self) -> dict:
        """The form's data as update_terms takes it: the terms, each party's details and the blanks of the chosen
        model text (the other text's blanks are not on the page and keep their saved values)."""
        data = {key: getattr(self, key).data for key in TERM_FIELDS}
        for key in TERM_FIELDS:
            if isinstance(data[key], str):
                data[key] = data[key].strip()
        for key in NONTECH_PARTS:
            if data[key] is None:
                data[key] = Decimal(0)
        for side in ("party_a", "party_b"):
            data[side] = {key: getattr(self, side).form[key].data for key in PARTY_FIELDS}
        kind = self.contract_type.data
        data["clauses"] = {c.key: self.clauses.form[c.key].data for c in contract_clauses.CLAUSES
                           if kind in c.types and self.clauses.form[c.key].raw_data}
        return data

    def instalment_terms(self) -> list[InstalmentTerm]:
        return [InstalmentTerm(row.form.amount.data, row.form.due.data, row.form.condition.data or "")
                for row in self.instalments if not row.form.blank]


# A service's refusal that concerns one field of the terms form is shown under it.
REFUSAL_FIELDS = {
    "contract.project_name_missing": "project_name", "contract.amount.decimals": "total_amount",
    "contract.amount.not_a_number": "total_amount", "contract.amount.out_of_range": "total_amount",
    "contract.validity_reversed": "valid_to", "contract.validity_before_last_payment": "valid_to",
    "contract.arbitration_commission_missing": "arbitration_commission", "contract.copies_out_of_range": "copies",
    "contract.confidentiality_out_of_range": "confidentiality_years",
}


def terms_data(contract) -> dict:
    """A draft's current terms, parties and instalments, to fill the form."""
    data = {key: getattr(contract, key) for key in TERM_FIELDS}
    data.update(party_a=party(contract, "party_a"), party_b=party(contract, "party_b"))
    data["clauses"] = {**contract_clauses.defaults(contract.contract_type), **(contract.clauses or {})}
    data["instalments"] = [{"amount": i.amount, "due": i.due_date, "condition": i.condition}
                           for i in contract.instalments]
    return data


class SigningForm(FlaskForm):
    signed_on = DateField(_l("签订日期"), validators=[InputRequired(message=REQUIRED)])
    scan = FileField(_l("双方签字盖章的合同扫描件（PDF）"), render_kw={"accept": "application/pdf,.pdf"})

    def validate_scan(self, field):
        if not field.data or not getattr(field.data, "filename", ""):
            raise ValidationError(_l("请上传签订后的合同扫描件（PDF）"))


class AcceptanceForm(FlaskForm):
    submission_key = once.key_field()  # a double-clicked or replayed form records one acceptance
    description = TextAreaField(_l("验收内容"), validators=[required(), max_len(500)], render_kw={"rows": 2})
    accepted_on = DateField(_l("验收日期"), validators=[InputRequired(message=REQUIRED)])
    instalment_id = SelectField(_l("对应付款期"), coerce=int, default=0, validate_choice=False)

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instalment_id.choices = [SelectChoice(0, _l("（不对应付款期）"))] + [
            SelectChoice(i.id, (str(_l("第 %(n)s 期", n=i.seq)) + f" · {i.amount:,.2f} · {i.condition}")[:80])
            for i in (contract.instalments if contract else [])
        ]


class PaymentForm(FlaskForm):
    submission_key = once.key_field()  # a double-clicked or replayed form records one payment
    amount = _money(_l("到账金额（元）"), validators=[InputRequired(message=REQUIRED)])
    received_on = DateField(_l("到账日期"), validators=[InputRequired(message=REQUIRED)])
    bank_receipt = StringField(_l("银行回单号"), validators=[required(), max_len(60)])
    note = StringField(_l("备注"), validators=[Optional(), max_len(300)])


class RegistrationForm(FlaskForm):
    """What the technology-contract registration office assigned and certified (技术合同认定登记)."""

    registration_number = StringField(_l("登记编号"), validators=[required(), max_len(18)],
                                      render_kw={"inputmode": "numeric", "placeholder": "20243302030001"})
    tech_amount = _money(_l("核定技术交易额（元）"), validators=[InputRequired(message=REQUIRED)])
    registered_on = DateField(_l("登记日期"), validators=[InputRequired(message=REQUIRED)])


class VoidForm(FlaskForm):
    reason = TextAreaField(_l("作废原因"), validators=[required(), max_len(500)], render_kw={"rows": 2})
