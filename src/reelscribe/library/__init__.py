"""The library: the search index of every upload in an output folder, kept in PostgreSQL."""

from .database import Database, database_for, library_dir, wait_for_stops

__all__ = ["Database", "database_for", "library_dir", "wait_for_stops"]
