"""A video's results: the folder a run writes for it, and the one status vocabulary."""

from __future__ import annotations

from .status import Status, most_telling

__all__ = ["Status", "most_telling"]
