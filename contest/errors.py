"""Error pages in the site's style, and JSON for API clients."""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, g, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError, SQLAlchemyError

from .extensions import db
from .services.records import audit

MESSAGES = {
    400: (_l("请求有误"), _l("提交的内容无法处理，请返回检查后重试。")),
    403: (_l("无权访问"), _l("您的账号没有访问此页面的权限。")),
    404: (_l("页面不存在"), _l("您要找的页面不存在或已被移除。")),
    405: (_l("不支持的操作"), _l("该页面不支持此请求方式。")),
    409: (_l("操作冲突"), _l("数据已被修改或状态已变化，请刷新后重试。")),
    413: (_l("文件过大"), _l("上传的文件超过 20 MB 上限，请压缩后重试。")),
    429: (_l("尝试过于频繁"), _l("登录尝试过于频繁，请稍后再试。")),
    500: (_l("服务器错误"), _l("服务器出现了问题，我们已记录，请稍后再试。")),
    503: (_l("服务暂时不可用"), _l("数据库暂时无法连接，请稍后刷新页面重试。")),
}


def record_refusal(code: int) -> None:
    """Audit a refused access (403; a 404 of a route to a signed-in user) in a transaction of its own.

    The request's own changes are rolled back first, so none of them is committed with the event; if the
    event cannot be written, the refusal is still answered (and the failure logged). Repeated 404s are
    recorded sparingly (audit.record_not_found), so that a loop of missing pages cannot flood the trail.
    """
    endpoint = request.endpoint or ""
    if code == 404 and (not endpoint or endpoint.endswith("static") or not current_user.is_authenticated):
        return
    try:
        db.session.rollback()
        actor = current_user._get_current_object() if current_user.is_authenticated else None
        detail = {"method": request.method, "path": request.path[:500], "endpoint": endpoint}
        if code == 404:
            audit.record_not_found(actor, detail)
        else:
            audit.record(actor, "access.denied", None, detail)
        db.session.commit()
    except SQLAlchemyError as e:
        db.session.rollback()
        current_app.logger.warning("Refused access to %s %s not audited: %s", request.method,
                                   audit.one_line(request.path), e.__class__.__name__)


def upload_limit_mb() -> int:
    """The request size the server accepts (MAX_CONTENT_LENGTH), in whole MB as the 413 page states it."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or current_app.config["BID_PDF_MAX_BYTES"]
    return max(1, limit // (1024 * 1024))


def back_url() -> str | None:
    """Where the user came from, if it is a page of this site (the form of a refused upload): the Referer when
    same-origin, else the signed-in user's home; None for a visitor without either."""
    referrer = urlsplit(request.referrer or "")
    here = urlsplit(request.host_url)
    if referrer.scheme == here.scheme and referrer.netloc == here.netloc and referrer.path.startswith("/"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    if current_user.is_authenticated:
        from .auth.guards import home_url  # the guards answer refusals with this module's pages
        return home_url(current_user)
    return None


def render_error(code: int, detail: str | None = None):
    if code in (403, 404):
        record_refusal(code)
    title, text = MESSAGES[code]
    back = None
    if code == 413:
        text, back = _l("上传的文件超过 %(mb)s MB 上限，请压缩后重试。", mb=upload_limit_mb()), back_url()
    if request.accept_mimetypes.best == "application/json":
        return {"error": str(title), "detail": detail or str(text)}, code
    return render_template("errors/error.html", code=code, title=title, text=detail or text, back=back), code


def register(app: Flask) -> None:
    for code in (400, 403, 404, 405, 409, 413):
        app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(429)
    def too_many_requests(e):
        response, code = render_error(429)
        wait = getattr(e, "retry_after", None)
        return response, code, {"Retry-After": str(wait if isinstance(wait, int) and wait > 0 else 60)}

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return render_error(400, str(_l("表单已过期或缺少安全令牌（CSRF），请刷新页面后重新提交。")))

    @app.errorhandler(IntegrityError)
    def integrity_error(e):
        # The database caught what a concurrent request slipped past the service's checks
        # (e.g. two tabs submitting the same team's bid at once): nothing was saved.
        db.session.rollback()
        return render_error(409, str(_l("该操作与刚刚保存的数据冲突（例如重复提交），未做任何修改，请刷新后查看。")))

    @app.before_request
    def load_user_first():
        # Load the session's user before the view: if the database is down, that fails here, where the
        # handler below answers 503, and not in an after_request hook (which no handler would catch).
        endpoint = request.endpoint or ""
        if endpoint == "public.healthz":  # the load balancer's probe answers for the database itself
            g._login_user = current_app.login_manager.anonymous_user()
        elif not endpoint.endswith("static"):
            current_user._get_current_object()

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(e):
        # The database went away (restart, network): answer 503; pool_pre_ping reconnects once it is back.
        current_app.logger.warning("Database unavailable on %s %s: %s", request.method,
                                   audit.one_line(request.path), e.__class__.__name__)
        try:
            db.session.rollback()
        except (OperationalError, InterfaceError):
            pass
        if "_login_user" not in g:  # the page's header must not ask the missing database for the user again
            g._login_user = current_app.login_manager.anonymous_user()
        response, code = render_error(503)
        return response, code, {"Retry-After": "30"}

    @app.errorhandler(500)
    def server_error(e):
        # The page shows only an id; the log has the same id with the traceback, for whoever is told it.
        error_id = secrets.token_hex(4)
        original = getattr(e, "original_exception", None)
        current_app.logger.exception("Error id %s on %s %s", error_id, request.method, audit.one_line(request.path),
                                     exc_info=original or e)
        db.session.rollback()
        text = _l("服务器出现了问题，我们已记录。错误编号：%(id)s。请稍后再试，如需帮助请将此编号告知组织方。", id=error_id)
        return render_error(500, str(text))
