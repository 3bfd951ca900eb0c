"""The events pages' forms: scheduling an event, marking attendance, recording a contact, the lists' filters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, Form, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from ..domain.choices import NeedField
from ..forms import ALL, CheckboxesField, clean_text, int_or_none, max_len, required
from ..labels import choices
from ..services.clock import from_beijing, to_beijing
from ..services.events.contacts import ContactData
from ..services.events.scheduling import EventData

FIRST_YEAR, LAST_YEAR = 2000, 2100
NONE = 0


def year_or_none(value):
    """A year filter: 2000 to 2100, anything else is no filter."""
    number = int_or_none(value)
    return number if number is not None and FIRST_YEAR <= number <= LAST_YEAR else None


class EventForm(FlaskForm):
    """An event: its market (the organizer chooses; a market's staff schedule for their own), time in Beijing time,
    place, fields, description and the needs presented."""

    market_id = SelectField(_l("所属市场"), coerce=int_or_none, validate_choice=False, validators=[required()])
    title = StringField(_l("活动名称"), filters=[clean_text], validators=[required(), max_len(100)])
    starts_at = DateTimeLocalField(_l("活动时间（北京时间）"), format="%Y-%m-%dT%H:%M", validators=[required()])
    place = StringField(_l("活动地点"), filters=[clean_text], validators=[required(), max_len(120)])
    fields = CheckboxesField(_l("技术领域"), choices=choices(NeedField), coerce=str, validate_choice=False)
    description = TextAreaField(_l("活动简介"), filters=[clean_text], validators=[Optional(), max_len(1000)],
                                render_kw={"rows": 4})
    needs = TextAreaField(_l("推介的需求"), filters=[clean_text], validators=[Optional(), max_len(3000)],
                          description=_l("每行一项：需求编号（如 12），或需求名称中的一段文字；只能推介已发布的需求"),
                          render_kw={"rows": 5})

    def __init__(self, *args, markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.market_id.choices = [SelectChoice(m.id, m.name) for m in markets]

    def validate_fields(self, field):
        known = {f.value for f in NeedField}
        if not field.data:
            raise ValidationError(_l("请至少选择一个技术领域"))
        if any(code not in known for code in field.data):
            raise ValidationError(_l("请选择有效的技术领域"))

    def prefill(self, event, needs) -> None:
        """Show an existing event, its time in Beijing time and its needs as "编号 名称" lines."""
        self.market_id.data = event.market_id
        self.title.data, self.place.data, self.description.data = event.title, event.place, event.description
        self.starts_at.data = to_beijing(event.starts_at)
        self.fields.data = [c for c in (event.fields or "").split(",") if c]
        self.needs.data = "\n".join(f"{n.id} {n.name}" for n in needs)

    def event_data(self) -> EventData:
        """The service's input: the time as naive UTC."""
        return EventData(market_id=self.market_id.data, title=self.title.data, place=self.place.data,
                         starts_at=from_beijing(self.starts_at.data), fields=[NeedField(c) for c in self.fields.data],
                         description=self.description.data or "", need_refs=(self.needs.data or "").splitlines())


class ContactForm(FlaskForm):
    """A contact made at the event: a presented need, a team (registered, or typed), a broker, a note."""

    need_id = SelectField(_l("需求"), coerce=int_or_none, validate_choice=False, validators=[required()])
    team_id = SelectField(_l("报名的团队"), coerce=int_or_none, validate_choice=False, default=NONE)
    team_name = StringField(_l("或输入团队名称"), filters=[clean_text], validators=[Optional(), max_len(100)],
                            description=_l("未报名的团队：输入完整名称或名称中的一段文字"))
    broker_id = SelectField(_l("促成对接的技术经纪人（可选）"), coerce=int_or_none, validate_choice=False, default=NONE)
    note = TextAreaField(_l("备注"), filters=[clean_text], validators=[Optional(), max_len(500)], render_kw={"rows": 2})

    def __init__(self, *args, needs=(), teams=(), brokers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.need_id.choices = [SelectChoice(n.id, f"{n.id} {n.name}") for n in needs]
        self.team_id.choices = [SelectChoice(NONE, _l("（按名称查找）"))] + [SelectChoice(t.id, t.name) for t in teams]
        self.broker_id.choices = [SelectChoice(NONE, _l("（无）"))] + [
            SelectChoice(b.id, f"{b.name}（{b.certificate_no}）") for b in brokers]

    def contact_data(self) -> ContactData:
        return ContactData(need_id=self.need_id.data, team_id=self.team_id.data or None,
                           team_name=self.team_name.data or "", broker_id=self.broker_id.data or None,
                           note=self.note.data or "")


class AttendanceForm(FlaskForm):
    """Whether a registrant came."""

    attended = SelectField(_l("是否到场"), choices=[SelectChoice("1", _l("到场")),
                                                                SelectChoice("0", _l("未到场"))], validators=[required()])


WHEN_CHOICES = [ALL, SelectChoice("upcoming", _l("即将举行")), SelectChoice("past", _l("已开始或已结束"))]


class EventFilterForm(Form):
    """The events list's filters, read from the query string (anything unknown is no filter)."""

    market = SelectField(_l("市场"), coerce=int_or_none, validate_choice=False)
    year = StringField(_l("年度"), filters=[year_or_none])
    when = SelectField(_l("时间"), choices=WHEN_CHOICES, validate_choice=False)
    mine = SelectField(_l("范围"), choices=[ALL, SelectChoice("1", _l("我报名的"))], validate_choice=False)

    def __init__(self, *args, markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.market.choices = [SelectChoice("", _l("全部"))] + [SelectChoice(m.id, m.name) for m in markets]

    def filters(self, known_markets) -> dict:
        return {"market_id": self.market.data if self.market.data in known_markets else None,
                "year": self.year.data if isinstance(self.year.data, int) else None,
                "when": self.when.data if self.when.data in ("upcoming", "past") else None}

    @property
    def only_mine(self) -> bool:
        return self.mine.data == "1"


class YearFilterForm(Form):
    """A report's year (and, for the organizer, market) filter."""

    market = SelectField(_l("市场"), coerce=int_or_none, validate_choice=False)
    year = StringField(_l("年度"), filters=[year_or_none])

    def __init__(self, *args, markets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.market.choices = [SelectChoice("", _l("全部"))] + [SelectChoice(m.id, m.name) for m in markets]

    def year_value(self):
        return self.year.data if isinstance(self.year.data, int) else None

