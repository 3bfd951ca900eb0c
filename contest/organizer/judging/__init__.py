"""Judging, for the organizer: judges, the online assignment, progress, rubrics, score sheets, the stages,
on-site panels, standings and score exports. Each module registers its routes on the organizer blueprint."""
from . import assignments, exports, judges, panels, progress, rubrics, sheets, stages  # noqa: F401
