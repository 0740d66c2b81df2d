"""The order workflow, as the database holds it: statuses and the moves between them."""

from collections import defaultdict
from dataclasses import dataclass

from flask import g
from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import ADMIN, OrderStatus, OrderTransition, OrderTransitionRole

CREATED = "created"


@dataclass(frozen=True)
class Move:
    to_id: int
    to_code: str
    roles: frozenset[str]
    reason_required: bool
    after_start: bool


@dataclass(frozen=True)
class Status:
    id: int
    code: str
    final: bool
    holds_time: bool
    moves: tuple[Move, ...]


class Workflow:
    """Every status and move as plain data, read once per request.

    Not kept across requests: an admin may add a status at any time, through any server.
    """

    def __init__(self, statuses: list[Status]):
        self.by_id = {status.id: status for status in statuses}
        self.by_code = {status.code: status for status in statuses}

    @classmethod
    def load(cls) -> "Workflow":
        """Read every status, move and role in one statement, in the session's transaction."""
        heads: dict[int, tuple[str, bool, bool]] = {}
        moves: dict[int, dict[int, tuple[int, str, bool, bool]]] = defaultdict(dict)
        roles: dict[int, set[str]] = defaultdict(set)
        for row in db.session.execute(WORKFLOW_ROWS):
            heads[row.id] = (row.code, row.final, row.holds_time)
            if row.transition_id is not None:
                moves[row.id][row.transition_id] = (
                    row.to_id,
                    row.to_code,
                    row.reason_required,
                    row.after_start,
                )
            if row.role is not None:
                roles[row.transition_id].add(row.role)
        return cls(
            [
                Status(status_id, *head, _moves(moves[status_id], roles))
                for status_id, head in heads.items()
            ]
        )

    def find(self, ref: str | int) -> Status | None:
        """A status by its code or its id."""
        return self.by_id.get(ref) if isinstance(ref, int) else self.by_code.get(ref)

    def unknown(self, ref: str | int) -> str:
        """What to say of a status reference that names no status."""
        return f"No status {ref!r}; the statuses are {', '.join(self.by_code)}."

    def moves_for(self, status_id: int, role: str | None, *, started: bool = True) -> list[Move]:
        """The moves out of a status that a role may make, those that wait for the order's
        start only once it has come; an admin may make any at any time."""
        moves = self.by_id[status_id].moves
        if role == ADMIN:
            return list(moves)
        return [m for m in moves if role in m.roles and (started or not m.after_start)]

    def allowed(self, status_id: int, role: str | None, *, started: bool = True) -> list[str]:
        return [move.to_code for move in self.moves_for(status_id, role, started=started)]

    def move(self, status_id: int, to_id: int, role: str) -> Move | None:
        return next((m for m in self.moves_for(status_id, role) if m.to_id == to_id), None)


def _moves(moves: dict[int, tuple[int, str, bool, bool]], roles: dict[int, set[str]]) -> tuple:
    return tuple(
        Move(to_id, to_code, frozenset(roles[transition_id]), reason_required, after_start)
        for transition_id, (to_id, to_code, reason_required, after_start) in moves.items()
    )


_target = aliased(OrderStatus)
# Every status with its moves and their roles, a row for each role; every order request
# reads it, built once.
WORKFLOW_ROWS = (
    select(
        OrderStatus.id,
        OrderStatus.code,
        OrderStatus.final,
        OrderStatus.holds_time,
        OrderTransition.id.label("transition_id"),
        OrderTransition.to_status_id.label("to_id"),
        _target.code.label("to_code"),
        OrderTransition.reason_required,
        OrderTransition.after_start,
        OrderTransitionRole.role,
    )
    .outerjoin(OrderTransition, OrderTransition.from_status_id == OrderStatus.id)
    .outerjoin(_target, _target.id == OrderTransition.to_status_id)
    .outerjoin(OrderTransitionRole, OrderTransitionRole.transition_id == OrderTransition.id)
    .order_by(OrderStatus.id, OrderTransition.id)
)


def current_workflow() -> Workflow:
    """The workflow, loaded at most once per request."""
    if "workflow" not in g:
        g.workflow = Workflow.load()
    return g.workflow


def forget_workflow() -> None:
    """Drop the request's copy after the workflow changed."""
    g.pop("workflow", None)
