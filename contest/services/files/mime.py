"""The one table of the file types the app hands out: downloads (contest/web/downloads.py) and job results."""
from __future__ import annotations

PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
