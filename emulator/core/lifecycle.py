"""A sync's life: ``pending → active → success | warning | error`` (reference §9.2)."""

from __future__ import annotations

from enum import StrEnum


class SyncStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"

    @property
    def stage(self) -> int:
        """0 pending, 1 active, 2 ended: what progression policies count in."""
        return {SyncStatus.PENDING: 0, SyncStatus.ACTIVE: 1}.get(self, 2)

    @property
    def terminal(self) -> bool:
        return self.stage == 2


TRANSITIONS = {
    SyncStatus.PENDING: {SyncStatus.ACTIVE, SyncStatus.ERROR},
    SyncStatus.ACTIVE: {
        SyncStatus.SUCCESS,
        SyncStatus.WARNING,
        SyncStatus.ERROR,
        SyncStatus.PENDING,
    },
}


def can_move(current: SyncStatus, target: SyncStatus) -> bool:
    """``active → pending`` is the restart recovery of an orphaned sync."""
    return target in TRANSITIONS.get(current, set())


def shown_status(real: SyncStatus, stage: int) -> SyncStatus:
    """What a client sees at ``stage`` (never ahead of the real status)."""
    if stage >= real.stage:
        return real
    return SyncStatus.PENDING if stage == 0 else SyncStatus.ACTIVE
