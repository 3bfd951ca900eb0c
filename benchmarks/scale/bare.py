"""The bare Flask page `make bench-scale` serves beside the app (same gunicorn settings): the yardstick of
throughput on this machine, in this run. Served as `bare:app` (--pythonpath benchmarks/scale)."""
from __future__ import annotations

from flask import Flask

from cost_headers import instrument

PAGE = ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>基准页</title></head>"
        "<body><h1>基准页</h1><p>A minimal Flask page: no database, no template, no session.</p></body></html>")

app = Flask(__name__)


@app.get("/")
def page():
    """A small HTML page."""
    return PAGE


@app.get("/healthz")
def healthz():
    return "ok"


app.wsgi_app = instrument(app.wsgi_app)  # type: ignore[method-assign]
