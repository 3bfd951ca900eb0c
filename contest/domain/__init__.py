"""Pure rules of the contest: no Flask, no SQLAlchemy, no I/O."""
