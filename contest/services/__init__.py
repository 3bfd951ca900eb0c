"""The verbs of the contest. Each takes the actor, changes models, flushes; the view commits."""
