"""The local runtime's errors, each with the exit code the CLI gives it."""


class ReelscribeError(Exception):
    exit_code = 2


class UsageError(ReelscribeError):
    """The command was asked for something it cannot do: a missing file, a bad option."""
