"""What a run prints: progress as it goes, from the runtime's events, and each video's summary."""

from .output import say, tolerant
from .progress import Progress
from .summary import print_summary, print_totals

__all__ = ["Progress", "print_summary", "print_totals", "say", "tolerant"]
