"""Every object of a PDF reachable from its trailer, each indirect object once: what the tests search for
anything a judge's copy must not carry."""
from __future__ import annotations

from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject


def reachable(reader: PdfReader) -> Iterator[PdfObject]:
    """Each object reachable from the trailer (indirect ones resolved, each visited once)."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        yield node
        if isinstance(node, DictionaryObject):
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
