"""An upload as Parse Upload decodes it, for tests of the stages after it."""

from __future__ import annotations

from video_pipeline.upload import Video

CLIP = Video(
    userId="alice",
    videoId="0123456789abcdef",
    bucket="up",
    key="alice/clip.mp4",
    size=1,
    fileName="clip.mp4",
    baseName="clip",
    sourceUri="s3://up/alice/clip.mp4",
    uploadedAt="2026-12-02T00:00:00Z",
)
CLIP_WEB = "output/web/alice/0123456789abcdef/clip.mp4"
