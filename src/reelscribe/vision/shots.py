"""Shots (PySceneDetect's ContentDetector) and black frames (luma counts), as Rekognition's
segments.

Both read the small frame of every decoded frame. A shot's confidence comes from how far the
content change at its cut went past ContentDetector's threshold: a change at the threshold is
50, twice the threshold or more is 100; the first shot, which starts with the video, is 100.
Black frames are counted as Rekognition's ``BlackFrame`` filter describes them: a frame is black
when at least ``MinCoveragePercentage`` of its pixels have a luma at most ``MaxPixelThreshold``
of the full range (defaults 99 % and 0.2). Runs of at least two black frames become
``BlackFrames`` technical cues with confidence 100 less the share of pixels that were not black.
Other technical cues (colour bars, credits, slates, studio logos) have no local detector and are
never reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

# scenedetect ships no type information.
from scenedetect import FrameTimecode  # type: ignore[import-untyped]
from scenedetect.detectors import ContentDetector  # type: ignore[import-untyped]
from scenedetect.stats_manager import StatsManager  # type: ignore[import-untyped]

from .frames import Frame, VideoInfo, dark_shares

_THRESHOLD = 27.0  # ContentDetector's default
_MIN_SHOT_FRAMES = 8
_MIN_BLACK_FRAMES = 2
DEFAULT_MAX_PIXEL_THRESHOLD = 0.2
DEFAULT_MIN_COVERAGE = 99.0


@dataclass
class ShotCollector:
    """Fed every frame in order; says where the shots and the black frames are."""

    frame_rate: float
    _detector: ContentDetector = field(init=False)
    _stats: StatsManager = field(init=False)
    _cuts: list[tuple[int, float]] = field(default_factory=list)
    _dark: list[NDArray[np.float32]] = field(default_factory=list)
    _times: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._detector = ContentDetector(threshold=_THRESHOLD, min_scene_len=_MIN_SHOT_FRAMES)
        self._stats = StatsManager()
        self._detector.stats_manager = self._stats

    def add(self, frame: Frame) -> None:
        code = FrameTimecode(frame.index, self.frame_rate)
        for cut in self._detector.process_frame(code, frame.small):
            self._cut(cut.frame_num)
        self._dark.append(dark_shares(frame.small))
        self._times.append(frame.time)

    def _cut(self, frame_number: int) -> None:
        score = self._stats.get_metrics(frame_number, [ContentDetector.FRAME_SCORE_KEY])[0]
        value = float(score) if score is not None else _THRESHOLD
        confidence = min(100.0, 50.0 + 50.0 * max(0.0, value - _THRESHOLD) / _THRESHOLD)
        self._cuts.append((frame_number, confidence))

    def finish(self) -> None:
        if self._times:
            last = FrameTimecode(len(self._times) - 1, self.frame_rate)
            for cut in self._detector.post_process(last):
                self._cut(cut.frame_num)

    # ------------------------------------------------------------------ answers
    def shots(self, info: VideoInfo) -> list[dict[str, Any]]:
        count = len(self._times)
        if not count:
            return []
        starts = [(0, 100.0), *sorted(c for c in self._cuts if 0 < c[0] < count)]
        segments = []
        for number, (first, confidence) in enumerate(starts):
            last = starts[number + 1][0] - 1 if number + 1 < len(starts) else count - 1
            segment = self._segment(info, first, last)
            segment["ShotSegment"] = {"Index": number, "Confidence": round(confidence, 3)}
            segments.append({"Type": "SHOT", **segment})
        return segments

    def black_frames(
        self,
        info: VideoInfo,
        max_pixel_threshold: float = DEFAULT_MAX_PIXEL_THRESHOLD,
        min_coverage: float = DEFAULT_MIN_COVERAGE,
    ) -> list[dict[str, Any]]:
        level = int(max_pixel_threshold * 255)
        shares = [100.0 * float(dark[level]) for dark in self._dark]
        segments: list[dict[str, Any]] = []
        run: list[int] = []
        for index, share in enumerate([*shares, -1.0]):
            if share >= min_coverage:
                run.append(index)
                continue
            if len(run) >= _MIN_BLACK_FRAMES:
                segment = self._segment(info, run[0], run[-1])
                coverage = min(shares[i] for i in run)
                segment["TechnicalCueSegment"] = {
                    "Type": "BlackFrames",
                    "Confidence": round(min(100.0, coverage), 3),
                }
                segments.append({"Type": "TECHNICAL_CUE", **segment})
            run = []
        return segments

    def _segment(self, info: VideoInfo, first: int, last: int) -> dict[str, Any]:
        start = self._times[first]
        end = self._times[last + 1] if last + 1 < len(self._times) else info.duration
        end = max(end, self._times[last] + 1.0 / info.frame_rate)
        start_ms, end_ms = round(start * 1000), round(end * 1000)
        frames = last - first + 1
        return {
            "StartTimestampMillis": start_ms,
            "EndTimestampMillis": end_ms,
            "DurationMillis": end_ms - start_ms,
            "StartTimecodeSMPTE": smpte(first, info.frame_rate),
            "EndTimecodeSMPTE": smpte(last + 1, info.frame_rate),
            "DurationSMPTE": smpte(frames, info.frame_rate),
            "StartFrameNumber": first,
            "EndFrameNumber": last,
            "DurationFrames": frames,
        }


def smpte(frame_number: int, frame_rate: float) -> str:
    """HH:MM:SS:FF, non-drop-frame, at the nearest whole frame rate."""
    rate = max(1, round(frame_rate))
    seconds, frames = divmod(frame_number, rate)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d}"
