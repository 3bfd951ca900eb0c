"""Run the PDF check or the blind copy of an upload in a child process with time and memory limits.

A hostile PDF (a hundred thousand pages, an object graph that never ends) costs the server the limits at most:
the child (`python -m contest.services.files.pdf_worker`) reads the PDF on stdin, lowers its priority and
limits its own CPU time and address space (resource.setrlimit) before it parses anything; the parent waits
on it for a wall-clock time, never parses the file itself and answers a child that is killed or fails with a
refusal, not an error page. The limits are the app's config (BID_PDF_MAX_PAGES, PDF_CHECK_SECONDS,
PDF_CHECK_MEMORY_MB), Config's defaults outside an app (the benchmarks).
"""
from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context

from ...config import Config
from ...domain.errors import Invalid

WORKER = "contest.services.files.pdf_worker"
# The folder holding the `contest` package: the child's working directory, so that `-m` finds the worker.
ROOT = Path(__file__).resolve().parents[3]
# The child's exit status when it refuses the file, and the refusal it stands for.
REFUSALS = {10: "pdf.not_pdf", 11: "pdf.polyglot", 12: "pdf.corrupt", 13: "pdf.encrypted", 14: "pdf.no_pages",
            15: "pdf.too_many_pages", 16: "pdf.active", 17: "pdf.external_action", 18: "pdf.embedded"}
START_SECONDS = 2  # wall-clock time the child may take beyond its CPU limit: start-up and a loaded machine

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """How much of a PDF is accepted and how much the child checking it may cost."""

    max_pages: int
    seconds: int
    memory_mb: int

    @classmethod
    def of_app(cls) -> Limits:
        """The current app's limits, or Config's defaults outside an app."""
        config = current_app.config if has_app_context() else vars(Config)
        return cls(max_pages=int(config["BID_PDF_MAX_PAGES"]), seconds=int(config["PDF_CHECK_SECONDS"]),
                   memory_mb=int(config["PDF_CHECK_MEMORY_MB"]))

    def arguments(self) -> list[str]:
        return [str(self.max_pages), str(self.seconds), str(self.memory_mb)]


def run(task: str, content: bytes, limits: Limits) -> bytes:
    """What the child answers for `task` ("check", "read" or "blind") on `content`.

    Raises Invalid: the child's own refusal, or "pdf.too_costly" when it ran out of time or memory.
    """
    command = [sys.executable, "-m", WORKER, task, *limits.arguments()]
    try:
        # No environment: the child needs none, and the app's secrets stay out of the process parsing the upload.
        done = subprocess.run(command, input=content, capture_output=True, cwd=ROOT, env={},
                              timeout=limits.seconds + START_SECONDS, check=False)
    except subprocess.TimeoutExpired:  # run() has killed the child
        logger.warning("PDF %s stopped after %s s of wall-clock time", task, limits.seconds + START_SECONDS)
        raise Invalid("pdf.too_costly", seconds=limits.seconds, mb=limits.memory_mb) from None
    if done.returncode == 0:
        return done.stdout
    if done.returncode in REFUSALS:
        # The one of these texts with a parameter (pdf.too_many_pages) names the page limit.
        raise Invalid(REFUSALS[done.returncode], limit=limits.max_pages)
    logger.warning("PDF %s stopped (exit status %s): %s", task, done.returncode,
                   done.stderr[-2000:].decode("utf-8", "replace"))
    raise Invalid("pdf.too_costly", seconds=limits.seconds, mb=limits.memory_mb)
