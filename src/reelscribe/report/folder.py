"""One video's result folder, read back: execution, states, records, messages and outputs.

Every file is optional. A run that failed early has no media, a report rebuilt from AWS has no
local emails, and the report says what is missing rather than failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..jsonfiles import from_json

MEDIA_KINDS = {
    "web": (".mp4", ".mov", ".m4v", ".webm"),
    "phone": (".mp4", ".mov", ".m4v", ".webm"),
    "audio": (".mp3", ".m4a", ".aac", ".wav", ".ogg"),
    "gif": (".gif",),
    "transcribe": (".json",),
    "subtitles": (".vtt",),
    "srt": (".srt",),
    "analysis": (".json",),
}


def read_json(path: Path) -> Any:
    """The file's JSON, or None when it is missing or unreadable."""
    try:
        return from_json(path.read_bytes())
    except (OSError, ValueError):
        return None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _parsed(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return from_json(value)
        except ValueError:
            return value
    return value


@dataclass
class VideoFolder:
    path: Path
    execution: dict[str, Any] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    emails: list[Path] = field(default_factory=list)
    batch_entry: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> VideoFolder:
        folder = cls(path=path)
        execution = read_json(path / "execution" / "execution.json")
        folder.execution = execution if isinstance(execution, dict) else {}
        runs = read_json(path / "execution" / "states.json")
        folder.runs = [r for r in runs if isinstance(r, dict)] if isinstance(runs, list) else []
        history = read_json(path / "execution" / "history.json")
        folder.history = history if isinstance(history, list) else []
        for record in sorted((path / "records").glob("*.json")):
            items = read_json(record)
            if isinstance(items, list):
                folder.records[record.stem] = [i for i in items if isinstance(i, dict)]
        folder.emails = sorted((path / "notifications").glob("*.eml"))
        batch = read_json(path.parent / "runs.json")
        for entry in batch if isinstance(batch, list) else []:
            if isinstance(entry, dict) and _same(entry.get("folder"), path):
                folder.batch_entry = entry
        return folder

    # ------------------------------------------------------------------ who and when
    @property
    def name(self) -> str:
        return self.path.name

    @property
    def video(self) -> dict[str, Any]:
        """Parse Upload's view of the upload: ids, file name, source."""
        for run in self.runs:
            output = run.get("output")
            if isinstance(output, dict) and isinstance(output.get("video"), dict):
                return dict(output["video"])
        return {}

    @property
    def status(self) -> str:
        return str(self.execution.get("status") or self.batch_entry.get("status") or "UNKNOWN")

    @property
    def started(self) -> datetime | None:
        start = _time(self.execution.get("startDate"))
        if start is None and self.runs:
            start = _time(self.runs[0].get("entered"))
        return start

    @property
    def stopped(self) -> datetime | None:
        stop = _time(self.execution.get("stopDate"))
        if stop is None:
            exits = [_time(r.get("exited")) for r in self.runs]
            stop = max((t for t in exits if t is not None), default=None)
        return stop

    @property
    def seconds(self) -> float | None:
        if self.started is None or self.stopped is None:
            return None
        return (self.stopped - self.started).total_seconds()

    @property
    def source(self) -> str:
        return str(
            self.batch_entry.get("source")
            or self.video.get("sourceUri")
            or self.video.get("fileName")
            or ""
        )

    @property
    def video_record(self) -> dict[str, Any]:
        """The video's item in the videos table: the one with a status and no transcript."""
        for items in self.records.values():
            for item in items:
                if "status" in item and "JsonFile" not in item:
                    return item
        return {}

    # ------------------------------------------------------------------ outputs
    def media(self, kind: str) -> Path | None:
        """The output of a kind (web, phone, audio, gif, transcribe, subtitles, srt, analysis)."""
        folder = "subtitles" if kind == "srt" else kind
        suffixes = MEDIA_KINDS[kind]
        found = sorted(
            p
            for p in (self.path / "output" / folder).glob("*")
            if p.is_file() and p.suffix.lower() in suffixes
        )
        return found[0] if found else None

    def relative(self, path: Path) -> str:
        """A link from report.html, which sits in the folder, to a file in it."""
        return path.relative_to(self.path).as_posix()

    @property
    def analysis(self) -> dict[str, Any]:
        path = self.media("analysis")
        data = read_json(path) if path else None
        return data if isinstance(data, dict) else {}

    @property
    def transcript(self) -> dict[str, Any]:
        path = self.media("transcribe")
        data = read_json(path) if path else None
        return data if isinstance(data, dict) else {}

    # ------------------------------------------------------------------ what went wrong
    def failure(self) -> dict[str, str]:
        """The failed state, the error and the reason, from the most explicit source there is:
        the video's record, the batch summary, Describe Failure's output, then the history."""
        if self.status not in ("FAILED", "TIMED_OUT", "ABORTED"):
            return {}  # succeeded, or still running: nothing has gone wrong yet
        for items in self.records.values():
            for item in items:
                report = item.get("failure")
                if isinstance(report, dict) and report.get("state"):
                    return _plain(report)
        report = self.batch_entry.get("failure")
        if isinstance(report, dict) and report.get("state"):
            return _plain(report)
        for run in self.runs:
            output = run.get("output")
            if run.get("name") == "Describe Failure" and isinstance(output, dict):
                report = output.get("failure")
                if isinstance(report, dict) and report.get("state"):
                    return _plain(report)
        failed = [r for r in self.runs if r.get("error")]
        state = str(failed[-1].get("name")) if failed else ""
        error = str(self.execution.get("error") or (failed[-1].get("error") if failed else ""))
        cause = str(self.execution.get("cause") or (failed[-1].get("cause") if failed else ""))
        if not state and self.runs:
            state = str(self.runs[-1].get("name") or "")
        return {"state": state, "error": error, "reason": cause, "cause": cause}

    @property
    def execution_input(self) -> Any:
        return _parsed(self.execution.get("input"))


def _plain(report: dict[str, Any]) -> dict[str, str]:
    reason = str(report.get("reason") or report.get("cause") or "")
    return {
        "state": str(report.get("state") or ""),
        "error": str(report.get("error") or ""),
        "reason": reason,
        "cause": str(report.get("cause") or reason),
    }


def _same(folder: Any, path: Path) -> bool:
    """runs.json names folders as the run was given them (relative to where it ran, or
    absolute); each is a child of the batch folder, so its name is what identifies it."""
    return isinstance(folder, str) and bool(folder) and Path(folder).name == path.name


def is_video_folder(path: Path) -> bool:
    return path.is_dir() and (path / "execution" / "execution.json").is_file()
