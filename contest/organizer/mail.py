"""The mail log, for the organizer: every message the contest sent or is to send (who to, about what, where it
stands, the server's last reply), searched by recipient or subject, kind of event and state; a message's text;
and a failed message sent again."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from wtforms import Form, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from ..auth.guards import is_safe_next
from ..domain.errors import DomainError
from ..domain.states import MailState
from ..extensions import db
from ..forms import ConfirmForm
from ..labels import label
from ..models import MailMessage
from ..services import clock
from ..services.notify import log
from ..services.notify.events import DIGEST, EVENTS
from ..web.listing import Listing
from ..web.lookups import page_number
from ..web.refusals import refuse
from . import bp, queries

S = MailState
STATE_LABELS = {S.HELD: _l("待并入每日摘要"), S.QUEUED: _l("待发送"), S.SENDING: _l("发送中"), S.SENT: _l("已发送"),
                S.FAILED: _l("发送失败"), S.DIGESTED: _l("已并入每日摘要")}
STATE_COLOURS = {S.HELD: "secondary", S.QUEUED: "info", S.SENDING: "primary", S.SENT: "success", S.FAILED: "danger",
                 S.DIGESTED: "light"}
RETRYING = _l("待重试")


def event_label(kind: str) -> str:
    """The kind of event as the settings page names it; the digest's own; a kind no longer known as it is."""
    if kind == DIGEST:
        return _("每日摘要")
    event = EVENTS.get(kind)
    return _(event.label) if event else kind


def _event_choice(kind: str) -> str:
    """An event with who hears of it: two events may share a label (a need's and a bid's review beginning)."""
    roles = _("、").join(label(role) for role in EVENTS[kind].audience)
    return _("%(event)s（%(roles)s）", event=event_label(kind), roles=roles)


def state_shown(message: MailMessage) -> tuple[str, str]:
    """(label, badge colour): a queued message refused before waits to be tried again."""
    if message.state == S.QUEUED and message.attempts and message.last_error:
        return str(RETRYING), "warning"
    return str(STATE_LABELS[message.state]), STATE_COLOURS[message.state]


class MailFilterForm(Form):
    """The log's filters, read from the query string (no CSRF: they change nothing); an unknown choice is ignored."""

    q = StringField(_l("收件人或主题"), description=_l("邮箱、用户名、姓名或主题中的文字"))
    event = SelectField(_l("通知类型"), validate_choice=False)
    state = SelectField(_l("状态"), validate_choice=False)

    def __init__(self, formdata) -> None:
        super().__init__(formdata)
        self.event.choices = [SelectChoice("", _("全部")), SelectChoice(DIGEST, _("每日摘要")),
                              *(SelectChoice(kind, _event_choice(kind)) for kind in EVENTS)]
        self.state.choices = [SelectChoice("", _("全部")), *(SelectChoice(s.value, str(STATE_LABELS[s])) for s in S)]

    def filters(self) -> log.Filters:
        event = self.event.data or ""
        state = self.state.data or ""
        return log.Filters(text=(self.q.data or "").strip(), event=event if log.known_event(event) else "",
                           state=S(state) if state in {s.value for s in S} else None)


def _message_or_404(message_id: int) -> MailMessage:
    return log.message(message_id) or abort(404)


def _message_page(message: MailMessage, status: int = 200):
    """A message's page, also the answer to a refused resend."""
    return render_template("organizer/mail/message.html", message=message, gathered=log.gathered(message),
                           form=ConfirmForm(), event_label=event_label, state_shown=state_shown), status


# The log sorts by its indexed columns (the outbox grows with every notice); its own filter form searches.
MAIL = Listing("mail", sorts={"time": MailMessage.created_at, "event": MailMessage.event, "state": MailMessage.state},
               default="time", default_dir="desc", tiebreak=MailMessage.id, first_dir={"time": "desc"})


@bp.get("/mail")
def mail_log():
    """Every message of the outbox, newest first or sorted by type or state, filtered."""
    form = MailFilterForm(request.args)
    asked = MAIL.read()
    pagination = queries.paginate(MAIL.apply(log.listing(form.filters()), asked), page_number())
    return render_template("organizer/mail/list.html", form=form, pagination=pagination, event_label=event_label,
                           state_shown=state_shown, asked=asked)


@bp.get("/mail/<int:message_id>")
def mail_message(message_id: int):
    """One message: its headers, where it stands, and its text (never its HTML)."""
    return _message_page(_message_or_404(message_id))


@bp.post("/mail/<int:message_id>/resend")
def resend_mail(message_id: int):
    """Send a failed message again, with the same Message-ID; back to the page the button was on."""
    message = _message_or_404(message_id)
    if not ConfirmForm().validate_on_submit():
        flash(_("页面已过期，请刷新后重试"), "danger")
        return _message_page(message, 400)
    try:
        log.resend(message, actor=current_user, now=clock.now())
    except DomainError as e:
        return _message_page(message, refuse(e))
    db.session.commit()
    flash(_("邮件已重新排队发送给 %(recipient)s", recipient=message.recipient), "success")
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for(".mail_message", message_id=message.id), 303)
