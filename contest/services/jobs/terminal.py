"""A kind run from the command line: the same function a worker runs, here and now, with a progress bar."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ...domain.errors import Phrase
from ...models import Edition, User
from . import registry
from .context import TerminalContext


def run_in_terminal(kind: str, params: dict[str, Any], *, actor: User | None = None, edition: Edition | None = None,
                    out: Path = Path("."), progress: bool = True) -> tuple[Phrase | None, Path | None]:
    """Run the kind in this process: a click progress bar while it works, its result file written to `out`
    (under a temporary name until the kind succeeds). Returns its summary and the file. The caller commits."""
    found = registry.kind(kind)
    ctx = TerminalContext(params, actor, edition, out=out, label=str(found.title), bar=progress)
    try:
        summary = found.run(ctx)
        ctx.close_bar()
        return summary, ctx.place()
    except BaseException:
        ctx.close_bar()
        ctx.discard()
        raise
