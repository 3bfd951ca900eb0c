"""Facts about the machine for the report, and the CPU time each part of the benchmark used (from /proc)."""
from __future__ import annotations

import os
import platform
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def facts() -> dict:
    """Cores, memory, CPU model, kernel, Python: what a reader needs to compare numbers across machines."""
    meminfo = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines() if ":" in line)
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor() or "?")
    return {"cores": os.cpu_count(), "memory_gib": round(int(meminfo["MemTotal"].split()[0]) / 1024 ** 2, 1),
            "cpu": model, "kernel": platform.release(), "python": platform.python_version()}


def _processes() -> dict[int, tuple[int, float, float]]:
    """pid -> (parent pid, own CPU seconds, CPU seconds of its reaped children)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK,
                                  (int(fields[13]) + int(fields[14])) / TICK)
    return found


def tree_cpu(root: int, table: dict | None = None) -> float:
    """CPU seconds used so far by a process, its live descendants and the children it has reaped."""
    table = table if table is not None else _processes()
    if root not in table:
        return 0.0
    children: dict[int, list[int]] = {}
    for pid, (parent, _own, _reaped) in table.items():
        children.setdefault(parent, []).append(pid)
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        _parent, own, reaped = table[pid]
        total += own + reaped
        stack.extend(children.get(pid, []))
    return total


def machine_busy() -> float:
    """CPU seconds the whole machine spent outside idle and iowait since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK


class CpuMeter:
    """CPU seconds used between start() and stop() by named process trees and by the whole machine."""

    def __init__(self, roots: dict[str, int]):
        self.roots = roots

    def _sample(self) -> dict[str, float]:
        """CPU seconds so far of each tree and of the machine, and the monotonic clock."""
        table = _processes()
        found = {name: tree_cpu(pid, table) for name, pid in self.roots.items()}
        found["machine"] = machine_busy()
        found["wall"] = time.monotonic()
        return found

    def start(self) -> None:
        """Take the first sample."""
        self.before = self._sample()
        self.load_before = os.getloadavg()

    def stop(self) -> dict:
        """CPU seconds used since start() by each tree, by the machine and by everything else."""
        after = self._sample()
        used = {name: round(after[name] - self.before[name], 1) for name in after}
        ours = sum(used[name] for name in self.roots)
        used["others"] = round(max(used["machine"] - ours, 0.0), 1)
        used["load_before"], used["load_after"] = self.load_before, os.getloadavg()
        return used


def postmaster_pid(data_folder: str) -> int:
    """The PostgreSQL server's pid, from its data folder."""
    return int(Path(data_folder, "postmaster.pid").read_text().split()[0])
