"""Judging: judges and their conflicts, the online assignment, score sheets, on-site panels, the stages of an
edition, progress, standings, rubrics and the score exports."""
