"""Excel workbooks for the organizer's exports: one sheet, a bold frozen header, columns sized to the text."""
from __future__ import annotations

import io
from typing import Callable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

MAX_WIDTH = 50


def text_width(value) -> int:
    """Display width of a cell's text: CJK characters are twice as wide as Latin ones."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def workbook_bytes(title: str, header: Sequence[str], rows: Sequence[Sequence], put: Callable,
                   *, filters: bool = False) -> bytes:
    """Write the rows (each value through `put(cell, value)`, which sets its type and format) as XLSX bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([None] * len(row))
        for cell, value in zip(sheet[sheet.max_row], row):
            put(cell, value)
    sheet.freeze_panes = "A2"
    if filters:
        sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(zip(header, *rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(map(text_width, column)) + 2, MAX_WIDTH)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
