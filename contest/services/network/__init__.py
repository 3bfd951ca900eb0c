"""The 1+12+13 network: markets, their staff's work and the network's statistics."""
