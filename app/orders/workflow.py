"""The order workflow, as the database holds it: statuses and the moves between them."""

from dataclasses import dataclass

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import ADMIN, OrderStatus, OrderTransition

CREATED = "created"


@dataclass(frozen=True)
class Move:
    to_id: int
    to_code: str
    roles: frozenset[str]
    reason_required: bool


@dataclass(frozen=True)
class Status:
    id: int
    code: str
    final: bool
    moves: tuple[Move, ...]


class Workflow:
    """Every status and move as plain data, read once per request.

    Not cached any longer: admins may add statuses at any time, on any server.
    """

    def __init__(self, statuses: list[Status]):
        self.by_id = {status.id: status for status in statuses}
        self.by_code = {status.code: status for status in statuses}

    @classmethod
    def load(cls) -> "Workflow":
        rows = db.session.scalars(
            select(OrderStatus).options(
                selectinload(OrderStatus.transitions).options(
                    joinedload(OrderTransition.to_status), selectinload(OrderTransition.roles)
                )
            )
        ).all()
        return cls([_status(row) for row in rows])

    def find(self, ref: str | int) -> Status | None:
        """A status by its code or its id."""
        return self.by_id.get(ref) if isinstance(ref, int) else self.by_code.get(ref)

    def moves_for(self, status_id: int, role: str | None) -> list[Move]:
        """The moves out of a status that a role may make; an admin may make any."""
        moves = self.by_id[status_id].moves
        return [move for move in moves if role == ADMIN or role in move.roles]

    def allowed(self, status_id: int, role: str | None) -> list[str]:
        return [move.to_code for move in self.moves_for(status_id, role)]

    def move(self, status_id: int, to_id: int, role: str) -> Move | None:
        return next((m for m in self.moves_for(status_id, role) if m.to_id == to_id), None)


def _status(row: OrderStatus) -> Status:
    moves = tuple(
        Move(t.to_status_id, t.to_status.code, frozenset(t.role_codes), t.reason_required)
        for t in row.transitions
    )
    return Status(row.id, row.code, row.final, moves)


def current_workflow() -> Workflow:
    """The workflow, loaded at most once per request."""
    if "workflow" not in g:
        g.workflow = Workflow.load()
    return g.workflow


def forget_workflow() -> None:
    """Drop the request's copy after the workflow changed."""
    g.pop("workflow", None)
