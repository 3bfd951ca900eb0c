"""The open API for the network's sites (/api/v1): the public catalogue's needs, the markets, published results
and public figures as JSON, read-only and open to all; market staff create needs with a personal bearer token.
Its OpenAPI 3 document is generated from the code (flask-smorest) at /api/v1/openapi.json."""
from __future__ import annotations

from flask import Flask, current_app, request
from flask_cors import CORS
from flask_smorest import Api, Blueprint
from werkzeug.exceptions import BadRequest

from ..extensions import csrf, limiter
from . import errors, schemas

PREFIX = "/api/v1"
VERSION = "1.0.0"
RATE_LIMIT = "120/minute"
SECURITY_SCHEME = "bearerAuth"

bp = Blueprint("api", __name__, url_prefix=PREFIX, description="揭榜挂帅平台开放接口")
csrf.exempt(bp)  # no cookie is ever taken for a write: a bearer token or nothing
limiter.shared_limit(lambda: current_app.config["API_RATE_LIMIT"], scope="api")(bp)
for _code in errors.CODES:
    bp.register_error_handler(_code, errors.json_error)


class ContestApi(Api):
    """flask-smorest's Api without its app-wide JSON error handler: the site's pages keep their own."""

    ERROR_SCHEMA = schemas.ApiError

    def _register_error_handlers(self):
        pass


def _settings(app: Flask) -> None:
    app.config.setdefault("API_RATE_LIMIT", RATE_LIMIT)   # per client address, every route of the API together
    app.config.setdefault("API_CORS_ORIGINS", [])         # the sites allowed to call it from a browser
    app.config["OPENAPI_URL_PREFIX"] = None               # the document is served by the blueprint itself


def register(app: Flask) -> None:
    """Register the API's blueprint, its document, its JSON errors and its CORS origins on the app."""
    _settings(app)
    api = ContestApi(app, spec_kwargs={
        "title": "揭榜挂帅平台开放接口", "version": VERSION, "openapi_version": "3.0.3",
        "info": {"description": "宁波科技大市场 1+12+13 网络的公开数据：已发布需求、市场、结果公示与公开统计；"
                                "市场工作人员可凭个人令牌代企业提交需求。"}})
    api.spec.components.security_scheme(SECURITY_SCHEME, {
        "type": "http", "scheme": "bearer", "description": "市场工作人员的个人令牌（范围 needs:write）"})
    api.register_blueprint(bp)
    app.extensions["contest_api"] = api
    app.before_request(_api_guard)
    origins = list(app.config["API_CORS_ORIGINS"])
    if origins:
        CORS(app, resources={rf"{PREFIX}/*": {"origins": origins}}, supports_credentials=False,
             allow_headers=["Authorization", "Content-Type", "If-None-Match", "Accept-Language"],
             expose_headers=["ETag", "Retry-After"], methods=["GET", "POST", "OPTIONS"], max_age=600)


def _api_guard():
    """Under /api/v1, what the site's own hooks would answer with an HTML page answers JSON: an unknown address
    or method (no view of the blueprint ran), a NUL character in the query or the address."""
    if not (request.path == PREFIX or request.path.startswith(PREFIX + "/")):
        return None
    found = request.routing_exception
    if found is not None and getattr(found, "code", 0) >= 400:
        return errors.utf8(current_app.make_response(errors.json_error(found)))
    if errors.carries_nul():
        return errors.utf8(current_app.make_response(errors.json_error(BadRequest(), message=errors.NUL_MESSAGE)))
    return None


@bp.after_request
def utf8_and_etag(response):
    """Chinese as UTF-8 (not \\u escapes); a GET's answer carries an ETag, and 304 when If-None-Match has it."""
    if response.status_code >= 400 and response.mimetype != "application/json":
        errors.page_as_json(response)
    errors.utf8(response)
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.add_etag()
        response.headers.setdefault("Cache-Control", "no-cache")
        response.make_conditional(request)
    return response


from . import needs, public  # noqa: E402,F401  (they register their routes on bp)
