"""ViewOf: a model instance as one caller sees it."""

from typing import Any


class ViewOf:
    """Reads through to a model instance, with some attributes given for this caller.

    Schemas dump it like the instance itself: `ViewOf(order, allowed_transitions=[...])`,
    `ViewOf(profile, contact_info=None)`.
    """

    def __init__(self, instance: Any, **overrides: Any):
        self._instance = instance
        self._overrides = overrides

    def __getattr__(self, name: str) -> Any:
        if name in self._overrides:
            return self._overrides[name]
        return getattr(self._instance, name)
