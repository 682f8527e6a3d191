"""A job as one ffmpeg command: decode the input once, fan it out to every output.

A ``filter_complex`` graph splits the decoded video and audio (``split``/``asplit``) and
sizes, pads and converts each branch for its output.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .encoders import FFMPEG_THREADS, VideoSpec
from .errors import TranscodeError
from .job_settings import FRAME_NUMBER, JobSpec, OutputSpec, read_job
from .locate import find_ffmpeg
from .probing import ProbeResult, Track


@dataclass(frozen=True)
class PlannedOutput:
    """One file the job writes."""

    destination: str  # the S3 URI MediaConvert would write
    local_path: Path  # where ffmpeg writes it, inside the work directory
    group_index: int
    output_index: int

    @property
    def is_sequence(self) -> bool:
        """A frame capture: numbered stills, with a printf pattern in place of the number."""
        return FRAME_NUMBER in self.local_path.name

    @property
    def partial_path(self) -> Path:
        """Where ffmpeg writes the output until the whole job has succeeded (stills: into a
        folder of their own, renamed as a whole)."""
        if self.is_sequence:
            folder = self.local_path.parent
            return folder.with_name(folder.name + ".partial") / self.local_path.name
        return self.local_path.with_name(self.local_path.name + ".partial")

    def files(self) -> list[tuple[Path, str]]:
        """Each file written, with the S3 URI MediaConvert writes it to."""
        if not self.is_sequence:
            return [(self.local_path, self.destination)]
        prefix, _, suffix = self.local_path.name.partition(FRAME_NUMBER)
        stills = sorted(self.local_path.parent.glob(f"{glob.escape(prefix)}*{suffix}"))
        base = self.destination.rsplit("/", 1)[0]
        return [(path, f"{base}/{path.name}") for path in stills]


@dataclass(frozen=True)
class TranscodePlan:
    """The ffmpeg command for a whole job, and the files it produces."""

    argv: list[str]
    outputs: list[PlannedOutput]


# GIF frames get a palette each (palettegen stats_mode=single + paletteuse new=1). A single
# palette for the whole clip would be known only at the end of the input, so paletteuse
# would hold every GIF frame in memory until then, and ffmpeg, which writes its first
# progress report only once every output has started, would report nothing until the end.
_GIF_PALETTE = "palettegen=stats_mode=single"
_GIF_DITHER = "paletteuse=new=1:dither=bayer:bayer_scale=5"
_ROTATE_FILTERS = {
    "DEGREE_0": [],
    "DEGREES_90": ["transpose=clock"],
    "DEGREES_180": ["hflip", "vflip"],
    "DEGREES_270": ["transpose=cclock"],
}
# DEFAULT scaling fills the frame instead of padding when the gap is at most this many pixels.
_ROUNDING_SLACK = 2


def plan_transcode(
    settings: dict[str, Any],
    source: ProbeResult,
    input_path: Path,
    workdir: Path,
    ffmpeg: str | None = None,
    threads: int = FFMPEG_THREADS,
) -> TranscodePlan:
    """Translate MediaConvert job ``Settings`` into one ffmpeg command over ``input_path``.

    ``source`` is what a probe of the input found; planning opens no file and writes none.
    Settings are checked first, so unsupported jobs fail with
    :class:`UnsupportedSettingError` whatever the input. An output that needs audio or
    video the input lacks raises :class:`TranscodeError`, as MediaConvert fails such a job
    when it runs. Outputs will be written under ``workdir``. ``threads`` is how many threads
    ffmpeg's decoder, filters and each H.264 encoder use.
    """
    job = read_job(settings, input_path)
    _check_input_has_what_outputs_need(job, source)
    outputs = [_planned_output(spec, Path(workdir)) for spec in job.outputs]
    argv = _build_argv(ffmpeg or find_ffmpeg(), Path(input_path), job, source, outputs, threads)
    return TranscodePlan(argv=argv, outputs=outputs)


def _audio_track(job: JobSpec, source: ProbeResult, selector: str) -> Track | None:
    """The input's audio track a selector picks (``Tracks`` counts audio tracks only)."""
    audios = [track for track in source.tracks if track.kind == "audio"]
    number = job.audio_tracks.get(selector, 1)
    return audios[number - 1] if number <= len(audios) else None


def _check_input_has_what_outputs_need(job: JobSpec, source: ProbeResult) -> None:
    for spec in job.outputs:
        if spec.audio is not None and _audio_track(job, source, spec.audio.selector) is None:
            selector = spec.audio.selector
            count = sum(1 for track in source.tracks if track.kind == "audio")
            if not count:
                raise TranscodeError(
                    f"Audio selector '{selector}' matched no audio track in the input"
                )
            raise TranscodeError(
                f"Audio selector '{selector}' selects audio track "
                f"{job.audio_tracks.get(selector, 1)}, but the input has {count} audio "
                f"track{'' if count == 1 else 's'}"
            )
        if spec.video is not None and source.first("video") is None:
            raise TranscodeError(
                f"{spec.path}.VideoDescription needs video, but the input has no video track"
            )


def _planned_output(spec: OutputSpec, workdir: Path) -> PlannedOutput:
    # One directory per output: renditions in different groups often share a file name.
    name = spec.destination.rsplit("/", 1)[-1]
    local = workdir / f"group{spec.group_index}-output{spec.output_index}" / name
    return PlannedOutput(spec.destination, local, spec.group_index, spec.output_index)


# --- geometry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """How one output's picture is sized: scale to ``scaled``, then pad or crop to ``frame``."""

    scaled: tuple[int, int]
    frame: tuple[int, int]

    @property
    def pads(self) -> bool:
        return self.scaled[0] < self.frame[0] or self.scaled[1] < self.frame[1]

    @property
    def crops(self) -> bool:
        return self.scaled[0] > self.frame[0] or self.scaled[1] > self.frame[1]


def output_geometry(
    source: tuple[float, float],
    width: int | None,
    height: int | None,
    scaling: str,
    *,
    even: bool,
) -> Geometry:
    """Size an output picture the way MediaConvert's ScalingBehavior does.

    ``source`` is the displayed size (after rotation and pixel aspect). A missing Width or
    Height keeps the source's. DEFAULT fits the picture inside the frame and pads the rest
    black; STRETCH_TO_OUTPUT fills the frame exactly; FIT and FIT_NO_UPSCALE fit inside
    without padding (the latter never enlarges); FILL covers the frame and crops the
    overflow. ``even`` rounds every dimension to an even number, as 4:2:0 H.264 requires.
    """
    src_w, src_h = source
    box = (_box_dim(width or src_w, even), _box_dim(height or src_h, even))
    if scaling == "STRETCH_TO_OUTPUT":
        return Geometry(box, box)
    if scaling == "FILL":
        factor = max(box[0] / src_w, box[1] / src_h)
        cover = (
            max(box[0], _round_dim(src_w * factor, even)),
            max(box[1], _round_dim(src_h * factor, even)),
        )
        return Geometry(cover, box)
    factor = min(box[0] / src_w, box[1] / src_h)
    if scaling == "FIT_NO_UPSCALE":
        factor = min(factor, 1.0)
    fitted = (
        min(box[0], _round_dim(src_w * factor, even)),
        min(box[1], _round_dim(src_h * factor, even)),
    )
    if scaling != "DEFAULT":
        return Geometry(fitted, fitted)
    if box[0] - fitted[0] <= _ROUNDING_SLACK and box[1] - fitted[1] <= _ROUNDING_SLACK:
        # A gap this small comes from rounding an aspect-preserving size, not from a
        # different aspect ratio; a hairline black bar would be the only visible result.
        return Geometry(box, box)
    return Geometry(fitted, box)


def _round_dim(value: float, even: bool) -> int:
    # Round half up so a 405-pixel fit becomes 406 rather than 404 when the frame allows it.
    if even:
        return max(2, int(value / 2 + 0.5) * 2)
    return max(1, int(value + 0.5))


def _box_dim(value: float, even: bool) -> int:
    dim = max(1, int(value + 0.5))
    return max(2, dim - dim % 2) if even else dim


def _display_size(track: Track, rotate: str) -> tuple[float, float]:
    width = track.width * float(track.sample_aspect or 1)
    height = float(track.height)
    quarter_turns = {"DEGREES_90", "DEGREES_270"}
    if rotate in quarter_turns or (rotate == "AUTO" and track.rotation in (90, 270)):
        return height, width
    return width, height


# --- ffmpeg command ------------------------------------------------------------------------


def _build_argv(
    ffmpeg: str,
    input_path: Path,
    job: JobSpec,
    source: ProbeResult,
    outputs: list[PlannedOutput],
    threads: int,
) -> list[str]:
    argv = [ffmpeg, "-nostdin", "-hide_banner", "-y", "-loglevel", "error"]
    argv += ["-progress", "pipe:1", "-nostats", "-filter_complex_threads", str(threads)]
    argv += ["-threads", str(threads)]  # before -i: decoder threads
    if job.rotate != "AUTO":
        # MediaConvert ignores rotation metadata unless Rotate is AUTO.
        argv.append("-noautorotate")
    argv += ["-i", str(input_path), "-filter_complex", _filter_graph(job, source)]
    for index, (spec, planned) in enumerate(zip(job.outputs, outputs, strict=True)):
        argv += _output_args(index, spec, planned.partial_path, threads)
    return argv


def _filter_graph(job: JobSpec, source: ProbeResult) -> str:
    chains: list[str] = []
    video_specs = [(i, spec.video) for i, spec in enumerate(job.outputs) if spec.video]
    audio_specs = [(i, spec.audio) for i, spec in enumerate(job.outputs) if spec.audio]
    if video_specs:
        track = source.first("video")
        assert track is not None  # checked by _check_input_has_what_outputs_need
        orientation = _orientation_filters(job.rotate)
        labels = "".join(f"[v{i}]" for i, _ in video_specs)
        split = ",".join([*orientation, f"split={len(video_specs)}"])
        chains.append(f"[0:{track.stream_index}]{split}{labels}")
        size = _display_size(track, job.rotate)
        for i, video in video_specs:
            chains.extend(_video_chains(i, video, size))
    # Outputs that share a selector share one decode of its track.
    by_selector: dict[str, list[int]] = {}
    for i, audio in audio_specs:
        by_selector.setdefault(audio.selector, []).append(i)
    for selector, indexes in by_selector.items():
        track = _audio_track(job, source, selector)
        assert track is not None  # checked by _check_input_has_what_outputs_need
        labels = "".join(f"[a{i}]" for i in indexes)
        chains.append(f"[0:{track.stream_index}]asplit={len(indexes)}{labels}")
    for i, audio in audio_specs:
        layout = "mono" if audio.channels == 1 else "stereo"
        filters = [f"aformat=sample_rates={audio.sample_rate}:channel_layouts={layout}"]
        if job.outputs[i].container == "RAW":
            # A raw MP3 or AAC file keeps no timestamps. MediaConvert writes every output
            # on the job's timeline from the first video frame, so audio that starts late
            # is preceded by silence there, not moved to 0.
            filters.insert(0, "aresample=first_pts=0")
        chains.append(f"[a{i}]{','.join(filters)}[out{i}a]")
    return ";".join(chains)


def _orientation_filters(rotate: str) -> list[str]:
    if rotate == "AUTO":
        return []  # ffmpeg's autorotation applies and strips the display matrix
    # Without autorotation ffmpeg would copy the display matrix to every output, and
    # players would rotate the picture MediaConvert left upright.
    return [*_ROTATE_FILTERS[rotate], "sidedata=mode=delete:type=DISPLAYMATRIX"]


def _video_chains(index: int, video: VideoSpec, source: tuple[float, float]) -> list[str]:
    is_gif = video.codec == "GIF"
    is_still = video.codec == "FRAME_CAPTURE"
    geometry = output_geometry(
        source, video.width, video.height, video.scaling, even=not (is_gif or is_still)
    )
    # MediaConvert takes the first frame, then one every interval (its frame capture docs), so
    # a clip shorter than the interval still gets one. ffmpeg's fps filter by default rounds to
    # the nearest tick, which takes frames half an interval late and none at all from a clip
    # under half an interval (the encoder then fails). Rounding up from 0 takes, for each tick,
    # the frame shown at it, and the first frame for tick 0 even when the video starts late.
    rate = f"fps={video.frame_rate}:round=up:start_time=0"
    filters = [rate] if video.frame_rate else []
    # Lanczos keeps small GIF frames sharp; bicubic is the cheaper default for video.
    flags = "lanczos" if is_gif else "bicubic"
    filters.append(f"scale={geometry.scaled[0]}:{geometry.scaled[1]}:flags={flags}")
    filters += _frame_filters(geometry)
    filters.append("setsar=1")
    if is_still:
        # Full-range 4:2:0, as JPEG stores it.
        filters.append("scale=out_range=full,format=yuvj420p")
        return [f"[v{index}]{','.join(filters)}[out{index}v]"]
    if not is_gif:
        filters.append("format=yuv420p")
        return [f"[v{index}]{','.join(filters)}[out{index}v]"]
    return [
        f"[v{index}]{','.join(filters)},split[g{index}a][g{index}b]",
        f"[g{index}a]{_GIF_PALETTE}[pal{index}]",
        f"[g{index}b][pal{index}]{_GIF_DITHER}[out{index}v]",
    ]


def _frame_filters(geometry: Geometry) -> list[str]:
    frame_w, frame_h = geometry.frame
    scaled_w, scaled_h = geometry.scaled
    if geometry.crops:
        return [f"crop={frame_w}:{frame_h}"]
    if geometry.pads:
        # Even offsets keep the chroma planes of 4:2:0 video aligned.
        x = (frame_w - scaled_w) // 4 * 2
        y = (frame_h - scaled_h) // 4 * 2
        return [f"pad={frame_w}:{frame_h}:{x}:{y}:color=black"]
    return []


def _output_args(index: int, spec: OutputSpec, target: Path, threads: int) -> list[str]:
    # Source metadata (phone GPS tags, encoder strings, chapters) is not carried over,
    # matching MediaConvert outputs.
    args = ["-map_metadata", "-1", "-map_chapters", "-1"]
    if spec.video is not None:
        args += ["-map", f"[out{index}v]", *spec.video.encoder_args]
        if spec.video.codec == "H_264":
            args += ["-threads", str(threads)]
    if spec.audio is not None:
        args += ["-map", f"[out{index}a]", *spec.audio.encoder_args]
    if spec.container == "MP4":
        args += ["-movflags", "+faststart", "-f", "mp4"]
    elif spec.container == "GIF":
        args += ["-f", "gif"]
    elif spec.video is not None and spec.video.codec == "FRAME_CAPTURE":
        if spec.video.max_frames is not None:
            args += ["-frames:v", str(spec.video.max_frames)]
        args += ["-f", "image2", "-start_number", "0"]
    else:
        args += ["-f", "mp3" if spec.audio and spec.audio.codec == "MP3" else "adts"]
    return [*args, str(target)]
