"""The open API's errors: JSON with the status code, its name and a message (Chinese; English when the client's
Accept-Language prefers it), and field by field what failed validation. Never an HTML page."""
from __future__ import annotations

import json
import secrets

from flask import current_app, request
from flask_babel import force_locale, lazy_gettext as _l
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from ..domain.errors import DomainError
from ..i18n import refusal_text

MESSAGES = {
    400: _l("请求有误，请检查参数或请求体"),
    401: _l("缺少有效的访问令牌：请在 Authorization 头中以 Bearer 方式提供未撤销的个人令牌"),
    403: _l("该令牌无权执行此操作"),
    404: _l("未找到请求的内容"),
    405: _l("该地址不支持此请求方式"),
    406: _l("本接口只提供 JSON"),
    409: _l("请求与数据的当前状态冲突，请刷新后重试"),
    413: _l("请求体过大"),
    415: _l("请以 JSON（application/json）提交请求体"),
    422: _l("参数校验未通过，详见 errors"),
    429: _l("请求过于频繁，请稍后再试"),
    500: _l("服务器出现了问题，我们已记录。错误编号：%(id)s"),
}
CODES = tuple(MESSAGES)
NUL = "\x00"
NUL_MESSAGE = _l("请求含有不允许的空字符（NUL），请删除后重试")
LANGUAGES = ("zh", "en")


def reader_locale() -> str:
    """English when the client's Accept-Language prefers it to Chinese, else the site's default language."""
    if request.accept_languages.best_match(LANGUAGES) == "en":
        return "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _message(code: int, data: dict) -> str:
    refusal = data.get("refusal")
    if isinstance(refusal, DomainError):
        return refusal_text(refusal)
    if data.get("message"):
        return str(data["message"])
    if code == 500:
        error_id = secrets.token_hex(4)
        current_app.logger.error("API error id %s on %s %s", error_id, request.method, request.path[:200])
        return str(MESSAGES[500] % {"id": error_id})
    return str(MESSAGES.get(code) or HTTP_STATUS_CODES.get(code, ""))


def json_error(error: HTTPException, message=None):
    """An HTTP error of the API as JSON: code, status, message and (for invalid input) errors."""
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    if message is not None:
        data = {**data, "message": message}
    with force_locale(reader_locale()):
        body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"), "message": _message(code, data)}
    errors = data.get("errors") or data.get("messages")
    if isinstance(errors, dict):
        body["errors"] = errors
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    if code == 429:
        wait = getattr(error, "retry_after", None)
        headers["Retry-After"] = str(wait if isinstance(wait, int) and wait > 0 else 60)
    return body, code, headers


def page_as_json(response):
    """An error page the site's own hooks answered in HTML (before any view of the API ran), as the API's JSON."""
    code = response.status_code
    with force_locale(reader_locale()):
        body = {"code": code, "status": HTTP_STATUS_CODES.get(code, "Error"),
                "message": str(MESSAGES.get(code) or HTTP_STATUS_CODES.get(code, ""))}
    response.set_data(json.dumps(body, ensure_ascii=False))
    response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response


def carries_nul() -> bool:
    """Whether the address or the query carries a NUL character (no database text can hold one)."""
    texts = [request.path, *(request.view_args or {}).values()]
    for key, values in request.args.lists():
        texts += [key, *values]
    return any(isinstance(t, str) and NUL in t for t in texts)


def utf8(response):
    """A JSON answer with its Chinese as UTF-8 rather than \\u escapes, saying so in its Content-Type."""
    if response.mimetype == "application/json" and not response.direct_passthrough:
        body = json.dumps(response.get_json(), ensure_ascii=False, separators=(",", ":"))
        response.set_data(body.encode("utf-8"))
        response.headers["Content-Type"] = "application/json; charset=utf-8"
    return response
