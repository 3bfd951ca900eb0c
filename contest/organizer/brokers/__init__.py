"""The organizer's brokers wing (技术经纪人): the register of profiles (profiles), and per edition the statistics,
the reward rule and the payable list (rewards)."""
from . import profiles, rewards  # noqa: F401  (they register their routes on bp)
