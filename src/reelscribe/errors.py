"""Every error the local runtime and the CLI raise, under one root that carries the exit code
`reelscribe` ends with when the error reaches `main`.

    ReelscribeError (1)
    ├── UsageError (2): a missing file, a bad option
    │   ├── TemplateError: template.yaml cannot be resolved locally
    │   └── MockConfigError: a MockConfigFile or test case that cannot be used
    ├── EngineError (1): ffmpeg, faster-whisper or a text engine could not do its work
    ├── ServiceError (1): an emulated service's error answer, as the real service gives it
    ├── AwsReadError (1): an execution on AWS could not be read for its report
    ├── OutOfSpaceError (1): the disk of the output folder has no room for the results
    └── LocalRuntimeError (1): the runtime itself cannot go on
        ├── MotoChangedError: moto lacks something the local runtime patches
        └── ExecutionTimeoutError: an execution did not end in time
"""

from __future__ import annotations


class ReelscribeError(Exception):
    """The root. `main` prints the message as one line and exits with `exit_code`: 1, as a run
    in which a video failed does."""

    exit_code = 1


class UsageError(ReelscribeError):
    """The command was asked for something it cannot do: a missing file, a bad option."""

    exit_code = 2


class TemplateError(UsageError):
    """The template uses something the local runtime cannot resolve."""


class MockConfigError(UsageError):
    """The MockConfigFile is unreadable, or names a state machine or test case it lacks."""


class EngineError(ReelscribeError):
    """A local engine could not do its work. The emulators answer with the service's own error
    for it, so it reaches the CLI only where the CLI calls an engine itself."""


class ServiceError(ReelscribeError):
    """An error answer, as the real service would give it: the caller's boto3 client raises it
    as a ClientError with this code and message."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


class AwsReadError(ReelscribeError):
    """An execution on AWS, or what it wrote, could not be read for its report."""


class OutOfSpaceError(ReelscribeError):
    """The output folder's disk has no room for what must be written there; the message names
    the folder and the room needed. Nothing that claims to be complete is left half-written."""


class LocalRuntimeError(ReelscribeError):
    """The local runtime cannot go on with the run."""


class MotoChangedError(LocalRuntimeError):
    """The installed moto lacks what the local runtime patches: another version than the one
    it was written for."""


class ExecutionTimeoutError(LocalRuntimeError, TimeoutError):
    """An execution did not end within the time it was given."""
