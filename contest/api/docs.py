"""What every operation of the API documents besides its own answer: the ETag's conditional GET, the errors."""
from __future__ import annotations

from copy import deepcopy

from . import schemas



def read_only(bp, *codes: int):
    """Decorate a GET: its ETag, 304 with If-None-Match, and the listed error statuses (JSON, schema Error)."""
    def decorate(view):
        for code in (*codes, 429):
            view = bp.alt_response(code, schema=schemas.ApiError, description=_DESCRIPTIONS[code])(view)
        # flask-smorest's ETag documentation (If-None-Match, 304, the ETag header); the ETag itself is set for every
        # GET by the blueprint (contest.api.utf8_and_etag), from the very bytes answered.
        view._apidoc = {**deepcopy(getattr(view, "_apidoc", {})), "etag": True}
        return view
    return decorate


def errors(bp, *codes: int):
    """Decorate an operation with the error statuses it may answer (JSON, schema Error)."""
    def decorate(view):
        for code in codes:
            view = bp.alt_response(code, schema=schemas.ApiError, description=_DESCRIPTIONS[code])(view)
        return view
    return decorate


_DESCRIPTIONS = {
    400: "请求有误（参数或请求体不符合业务规则）",
    401: "缺少有效的令牌，或令牌已撤销",
    403: "令牌无此权限范围，或企业不属于本市场",
    404: "不存在或未公开",
    409: "与数据的当前状态冲突",
    415: "请求体须为 JSON",
    422: "参数校验未通过",
    429: "请求过于频繁",
}
