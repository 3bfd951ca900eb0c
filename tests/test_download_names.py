"""A file leaves with the extension of the type it was checked to be, whatever its uploader called it."""
from __future__ import annotations

from urllib.parse import unquote

import pytest

from contest.services.files.mime import CSV, PDF, XLSX, with_extension

from .test_team import bids_of, need, post_bid, team  # noqa: F401  (fixtures)


@pytest.mark.parametrize("given, expected", [
    ("report.pdf", "report.pdf"), ("REPORT.PDF", "REPORT.PDF"), ("report.gpj.exe", "report.gpj.pdf"),
    ("挑战报告", "挑战报告.pdf"), ("report.html", "report.pdf"), ("v1.2 final", "v1.2 final.pdf"),
])
def test_a_pdf_is_named_pdf(given, expected):
    assert with_extension(given, PDF) == expected


def test_other_types_keep_their_own_extension():
    assert with_extension("scores.xlsx", XLSX) == "scores.xlsx" and with_extension("scores.exe", CSV) == "scores.csv"


def test_a_report_uploaded_as_an_exe_with_a_direction_override_comes_back_as_a_pdf(client, db, team, need):  # noqa: F811
    response = post_bid(client, need, filename="挑战报告\u202egpj.exe")
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    bid = bids_of(db, team)[0]
    assert bid.pdf_original_name == "挑战报告gpj.pdf"                       # shown to its owner so
    download = client.get(f"/team/bids/{bid.id}/file")
    disposition = download.headers["Content-Disposition"]
    assert download.status_code == 200 and unquote(disposition.split("UTF-8''")[1]) == "挑战报告gpj.pdf"
    assert disposition.split('filename="')[1].split('"')[0].endswith(".pdf")     # the ASCII fallback too
