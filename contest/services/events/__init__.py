"""Matchmaking events (对接活动): scheduling, registration, attendance and contacts, and the tracing of a contact
to the team's bid on the need and its contract."""
