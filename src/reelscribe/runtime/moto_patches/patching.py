"""Replacing attributes of other libraries' classes and modules, checked first and undoable."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ...errors import MotoChangedError

_ABSENT = object()


def where(owner: Any, name: str) -> str:
    """The attribute's full dotted name, as an error message names it."""
    if isinstance(owner, type):
        return f"{owner.__module__}.{owner.__qualname__}.{name}"
    return f"{owner.__name__}.{name}"


@dataclass(frozen=True)
class Patch:
    """Replace `owner.name` with `make(what is there now)`."""

    owner: Any
    name: str
    make: Callable[[Any], Any]


def replace(owner: Any, name: str, replacement: Any) -> Patch:
    """A patch that does not need what it replaces."""
    return Patch(owner, name, lambda _original: replacement)


def check(patches: Iterable[Patch], required: Iterable[tuple[Any, str]]) -> None:
    """Raise MotoChangedError naming the first attribute that a patch would replace, or that a
    replacement calls, and that is missing."""
    for owner, name in [*((p.owner, p.name) for p in patches), *required]:
        if not hasattr(owner, name):
            raise MotoChangedError(
                f"{where(owner, name)} is missing: the local runtime replaces or calls it, and "
                "the installed moto no longer has it"
            )


class Applied:
    """What a set of patches replaced, to put back."""

    def __init__(self) -> None:
        self._saved: list[tuple[Any, str, Any]] = []

    def apply(self, patch: Patch) -> None:
        # The raw value from the class's own namespace, so a staticmethod goes back as one.
        raw = vars(patch.owner).get(patch.name, _ABSENT)
        replacement = patch.make(getattr(patch.owner, patch.name))
        self._saved.append((patch.owner, patch.name, raw))
        setattr(patch.owner, patch.name, replacement)

    def undo(self) -> None:
        while self._saved:
            owner, name, raw = self._saved.pop()
            if raw is _ABSENT:  # it was inherited
                delattr(owner, name)
            else:
                setattr(owner, name, raw)
