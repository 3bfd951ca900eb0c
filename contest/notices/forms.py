"""The notification settings form: one choice per kind of event the user may hear of, and the language."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice

from ..domain.states import MailMode
from ..services.notify.events import Event

# Each language named in itself (and marked so, for screen readers and the English pages' check).
LANGUAGE_CHOICES = [SelectChoice("zh_CN", "中文", render_kw={"lang": "zh-CN"}),
                    SelectChoice("en", "English", render_kw={"lang": "en"})]


def mode_choices(event: Event) -> list[SelectChoice]:
    """How the user may hear of the event: never "in the app only" when the rules require a mail."""
    choices = [SelectChoice(MailMode.IMMEDIATE.value, _("即时邮件")),
               SelectChoice(MailMode.DIGEST.value, _("每日摘要"))]
    if not event.required:
        choices.append(SelectChoice(MailMode.APP.value, _("仅平台内")))
    return choices


class SettingsForm(FlaskForm):
    language = SelectField(_l("邮件与通知的语言"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("保存"))


def settings_form(events: list[Event], chosen: dict, formdata=None) -> SettingsForm:
    """The form with a radio field per event (named by its kind), filled from the user's choices."""

    class Form(SettingsForm):
        pass

    for event in events:
        setattr(Form, _field(event.kind), RadioField(_l(event.label), choices=mode_choices(event),
                                                     default=chosen[event.kind].value))
    return Form(formdata=formdata) if formdata is not None else Form()


def _field(kind: str) -> str:
    return "mode_" + kind.replace(".", "__")


def field_of(form: SettingsForm, kind: str):
    return getattr(form, _field(kind))
