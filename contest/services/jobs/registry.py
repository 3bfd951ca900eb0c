"""The kinds of job. A kind is a function `run(ctx) -> Phrase | None`, registered under a dotted name:

    @register("scores.export", title=_l("评分明细导出"))
    def export_scores(ctx: JobContext) -> Phrase | None: ...

The web app and the worker both import the modules of KIND_MODULES before they look a kind up, so a module
that defines kinds adds its name there.
"""
from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...domain.errors import Invalid

KIND_MODULES: tuple[str, ...] = ("contest.services.jobs.contracts", "contest.services.jobs.exports",
                                 "contest.services.jobs.judging")
# For tests only: more modules to import, comma-separated (CONTEST_EXTRA_JOB_KINDS=tests.job_kinds), so that a
# real worker started by a test knows the test's kinds. Not a setting of a real installation.
EXTRA_KINDS_VARIABLE = "CONTEST_EXTRA_JOB_KINDS"


@dataclass(frozen=True)
class Kind:
    """A registered kind: its name, its title (a lazy string: shown in the reader's language), its function."""

    name: str
    title: Any
    run: Callable[..., Any]
    then: str | None = None  # the endpoint (taking the edition's code) to land on once the job is done


_KINDS: dict[str, Kind] = {}
_loaded = False


def _origin(run: Callable) -> str:
    return f"{run.__module__}.{run.__qualname__}"


def register(name: str, *, title: Any, then: str | None = None) -> Callable[[Callable], Callable]:
    """Register the decorated function as the kind `name`; a second, different function under the name fails.
    `then`: for a kind whose result is a change rather than a file, the page (an endpoint taking the edition's
    code) the job's page sends the user on to once the job is done."""
    def decorator(run: Callable) -> Callable:
        known = _KINDS.get(name)
        if known is not None and _origin(known.run) != _origin(run):
            raise ValueError(f"job kind {name!r} is registered twice: {_origin(known.run)} and {_origin(run)}")
        _KINDS[name] = Kind(name, title, run, then)
        return run
    return decorator


def load_kinds() -> None:
    """Import every module that registers kinds (once per process)."""
    global _loaded
    if _loaded:
        return
    extra = [name.strip() for name in os.environ.get(EXTRA_KINDS_VARIABLE, "").split(",") if name.strip()]
    for module in (*KIND_MODULES, *extra):
        importlib.import_module(module)
    _loaded = True


def kind(name: str) -> Kind:
    """The registered kind of this name; refused when there is none (a typo, or a kind since removed)."""
    load_kinds()
    try:
        return _KINDS[name]
    except KeyError:
        raise Invalid("job.unknown_kind", kind=name) from None


def landing_of(name: str) -> str | None:
    """The page a done job of this kind sends the user on to, if any."""
    load_kinds()
    known = _KINDS.get(name)
    return known.then if known else None


def title_of(name: str) -> Any:
    """The title of a kind, or its name when it is no longer registered."""
    load_kinds()
    known = _KINDS.get(name)
    return known.title if known else name
