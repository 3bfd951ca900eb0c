"""Judging, for the organizer: judges, the online assignment, progress, rubrics, score sheets, the stages,
on-site panels, standings and score exports. Each module registers its routes on the organizer blueprint."""
from . import assignments, disclosure, exports, judges, objections, panels, progress, rubrics, sheets, stages, ties  # noqa: F401
