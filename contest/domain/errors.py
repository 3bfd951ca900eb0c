"""Errors the rules raise; views turn them into a flashed message and a 4xx."""
from __future__ import annotations


class DomainError(Exception):
    """A request the rules refuse. `status` is the HTTP status a view should answer."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidTransition(DomainError):
    status = 409

    def __init__(self, old, new):
        super().__init__(f"当前状态不允许此操作（{old.value} → {new.value}）")
        self.old, self.new = old, new


class NotPermitted(DomainError):
    status = 403


class DeadlinePassed(DomainError):
    status = 403


class WindowClosed(DomainError):
    status = 403


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 400


class TooLarge(DomainError):
    status = 413
