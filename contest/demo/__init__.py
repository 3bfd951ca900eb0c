"""Demo data for `flask seed-demo`."""
from .seed import seed

__all__ = ["seed"]
