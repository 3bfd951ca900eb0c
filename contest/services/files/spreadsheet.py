"""Excel workbooks for the organizer's exports: one sheet, a bold frozen header, columns sized to the text.

Written row by row (openpyxl's write-only mode) straight into a binary file, so that memory and time stay
linear whatever the number of rows; openpyxl itself is loaded only when a workbook is written.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, BinaryIO

MAX_WIDTH = 50
# Column widths come from the header and the first rows: a write-only sheet declares its columns before its
# first row, and a second pass over the data would double the work. 1,000 rows cover every contract of an
# edition and any demo; further rows rarely hold a longer text, and MAX_WIDTH caps the width anyway.
WIDTH_SAMPLE_ROWS = 1000


def text_width(value) -> int:
    """Display width of a cell's text: CJK characters are twice as wide as Latin ones."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def column_widths(header: Sequence, rows: Sequence[Sequence]) -> list[int]:
    """Each column's width: its widest text among the header and the rows given, plus 2, at most MAX_WIDTH."""
    return [min(max(map(text_width, column)) + 2, MAX_WIDTH) for column in zip(header, *rows)]


@dataclass(frozen=True, slots=True)
class Formatted:
    """A number or a date shown with an Excel number format ("0.0", "yyyy-mm-dd" …)."""

    value: Any
    number_format: str


def write_workbook(out: BinaryIO, title: str, header: Sequence[str], rows: Iterable[Sequence], typed: Callable,
                   *, filters: bool = False, width_sample: int = WIDTH_SAMPLE_ROWS) -> int:
    """Write the rows as an XLSX workbook into `out`, reading `rows` once; the number of rows written.

    `typed(value)` gives what a cell holds: None (empty), a number, a date, text, or Formatted(number or date,
    number format). Text is always text, never a formula nor an error code, whatever it starts with.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    styled: dict[str, WriteOnlyCell] = {}

    def cells(row: Sequence):
        # Given as a generator, the row is consumed one value at a time and each cell written before the next
        # value is asked for: plain values go through openpyxl's one reused cell, and each number format keeps
        # one cell of its own whose value is replaced (a Cell object per value would cost half as much again,
        # over 2 million cells).
        for value in row:
            value = typed(value)
            if isinstance(value, Formatted):
                cell = styled.get(value.number_format)
                if cell is None:
                    cell = styled[value.number_format] = WriteOnlyCell(sheet)
                    cell.number_format = value.number_format
                cell.value = value.value
                yield cell
            elif isinstance(value, str) and (value.startswith("=") and len(value) > 1 or value in ERROR_CODES):
                text = WriteOnlyCell(sheet, value)
                text.data_type = "s"
                yield text
            else:
                yield value

    rows = iter(rows)
    sample = list(islice(rows, width_sample))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title)
    for index, width in enumerate(column_widths(header, sample), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_with_font(WriteOnlyCell(sheet, value=label), bold) for label in header])
    written = 0
    for row in chain(sample, rows):
        sheet.append(cells(row))
        written += 1
    if filters:
        sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{written + 1}"
    workbook.save(out)
    return written


def _with_font(cell, font):
    cell.font = font
    return cell


def workbook_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence], typed: Callable,
                   *, filters: bool = False) -> bytes:
    """The workbook of write_workbook() as bytes, for small tables (the registration export)."""
    out = io.BytesIO()
    write_workbook(out, title, header, rows, typed, filters=filters)
    return out.getvalue()
