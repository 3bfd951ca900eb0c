"""The child process of pdf_sandbox: `python -m contest.services.files.pdf_worker TASK MAX_PAGES SECONDS MEMORY_MB`.

It limits itself first (CPU seconds, address space, no core file, a lower priority than the web workers), then
reads the PDF on stdin and writes on stdout what TASK gives: nothing for "check", the pages' text (JSON) for
"read", the PDF for "blind". A
refusal is told by the exit status (pdf_sandbox.REFUSALS); running out of CPU time kills the process (SIGXCPU)
and running out of memory ends it with a MemoryError: the parent refuses the file then.
"""
from __future__ import annotations

import os
import resource
import sys
from collections.abc import Callable

from ...domain.errors import DomainError
from .pdf_check import check, rebuild
from .pdf_text import check_and_read
from .pdf_sandbox import REFUSALS

TASKS: dict[str, Callable[[bytes, int], bytes | None]] = {"check": check, "read": check_and_read, "blind": rebuild}
EXIT_STATUS = {message_id: status for status, message_id in REFUSALS.items()}
NICENESS = 10


def limit_self(seconds: int, memory_mb: int) -> None:
    """Cap this process's CPU time and address space, forbid a core file and yield the CPU to the web workers."""
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    os.nice(NICENESS)


def main(argv: list[str]) -> int:
    task, max_pages, seconds, memory_mb = argv
    limit_self(int(seconds), int(memory_mb))
    content = sys.stdin.buffer.read()
    try:
        answer = TASKS[task](content, int(max_pages))
    except DomainError as e:
        return EXIT_STATUS[e.message_id]
    sys.stdout.buffer.write(answer or b"")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
