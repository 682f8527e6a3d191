"""Every available detector over a video, in one decoding pass.

Shots and black frames read every frame, small. Faces, moderation and text read a full-size
frame a second (text only when the picture changed since the last frame read: see
reelscribe.vision.text). The detectors run on a worker thread while the next frames decode, so
decoding and inference share the two cores instead of taking turns.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import face_descriptors, faces, moderation, text
from .frames import Frame, VideoInfo, decode, probe
from .shots import ShotCollector
from .text import TextTracker

SAMPLE_SECONDS = 1.0
_IN_FLIGHT = 4  # sampled frames waiting for the detectors: bounds memory at 720p


@dataclass
class VideoAnalysis:
    info: VideoInfo
    shots: ShotCollector
    text: list[dict[str, Any]] = field(default_factory=list)
    faces: list[dict[str, Any]] = field(default_factory=list)
    # (timestamp ms, NudeNet's detections): each job filters with its own MinConfidence.
    nudity: list[tuple[int, list[dict[str, Any]]]] = field(default_factory=list)
    text_frames_read: int = 0
    # With `describe_faces`: each face's (track index, descriptor), in the order of `faces`.
    face_tracks: list[tuple[int, face_descriptors.Descriptor]] | None = None

    def moderation_labels(self, min_confidence: float) -> list[dict[str, Any]]:
        return [
            {"Timestamp": stamp, "ModerationLabel": label, "ContentTypes": []}
            for stamp, found in self.nudity
            for label in moderation.labels(found, min_confidence)
        ]


def warm() -> None:
    """Load every detector's model ahead of the first video; one that cannot load is left for
    the analysis that needs it to report."""
    for detector in (faces, moderation, text):
        try:
            detector.warm()
        except Exception:  # noqa: BLE001, S112 - reported by the analysis, with its reason
            continue


def analyse(path: Path, describe_faces: bool = False) -> VideoAnalysis:
    """Shots, black frames, text, faces and moderation findings for the video at `path`, and
    with `describe_faces` who each face may be (its descriptor, for face search)."""
    info = probe(path)
    analysis = VideoAnalysis(info, ShotCollector(info.frame_rate))
    tracker = TextTracker()
    face_tracks = face_descriptors.FaceTracks() if describe_faces else None
    if face_tracks is not None:
        analysis.face_tracks = []
    pending: deque[Future[None]] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vision") as worker:
        for frame in decode(path, SAMPLE_SECONDS):
            analysis.shots.add(frame)
            if frame.full is None:
                continue
            pending.append(worker.submit(_detect, analysis, tracker, face_tracks, frame))
            while len(pending) >= _IN_FLIGHT:
                pending.popleft().result()
        while pending:
            pending.popleft().result()
    analysis.shots.finish()
    analysis.text = tracker.results
    analysis.text_frames_read = tracker.frames_read
    return analysis


def _detect(
    analysis: VideoAnalysis,
    tracker: TextTracker,
    face_tracks: face_descriptors.FaceTracks | None,
    frame: Frame,
) -> None:
    assert frame.full is not None
    stamp = round(frame.time * 1000)
    details = faces.detect(frame.full)
    for detail in details:
        analysis.faces.append({"Timestamp": stamp, "Face": detail})
    if face_tracks is not None and analysis.face_tracks is not None:
        boxes = [detail["BoundingBox"] for detail in details]
        analysis.face_tracks += face_tracks.follow(frame.full, frame.time, boxes)
    found = moderation.detect_raw(frame.full)
    analysis.nudity.append((stamp, found))
    tracker.add(frame.time, frame.small, frame.full)
