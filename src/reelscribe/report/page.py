"""One video's report: a single HTML file with its style, script and data inline."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..results import VideoFolder
from .formats import seconds
from .graph import legend, state_machine_svg
from .media import media_section, probe
from .messages import records_section
from .on_screen import boxes, on_screen_section, refused_section, review_banner
from .panel import panel_data
from .sentiment import sentiment_chart
from .statemachine import Machine
from .status import CAUGHT, NOT_REACHED, RETRIED, outcomes, plain_cause, run_status, transitions
from .templating import render
from .timeline import timeline_section
from .transcript_view import sentences, transcript_section
from .vision_view import ViewError, Vision, read_vision

# Nothing but this file and the folder beside it: no fonts, scripts or requests elsewhere.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src 'self' file: data:; media-src 'self' file: data: blob:; base-uri 'none'; "
    "form-action 'none'"
)
# What the person uploaded comes first; how the execution ran, after it and a click away in
# the contents.
SECTIONS = (
    ("media", "Media"),
    ("vision", "On screen"),
    ("transcript", "Transcript"),
    ("sentiment", "Sentiment"),
    ("graph", "State machine"),
    ("timeline", "Timeline"),
    ("records", "Records and messages"),
)


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "–"


def _video_length(folder: VideoFolder) -> float | None:
    recorded = folder.video_item.duration_seconds
    if recorded is not None:
        return recorded
    played = folder.media("web") or folder.media("audio")
    return probe(played).duration if played is not None else None


def _header(folder: VideoFolder) -> dict[str, Any]:
    video = folder.video
    kind = folder.media_kind
    facts = [("Started", _when(folder.started)), ("Run time", seconds(folder.seconds))]
    if kind != "image":  # a picture has no length
        length = "Audio length" if kind == "audio" else "Video length"
        facts.append((length, seconds(_video_length(folder))))
    facts += [
        ("User", str(video.get("userId") or "–")),
        ("Video id", str(video.get("videoId") or "–")),
    ]
    ids = [("Source", folder.source), ("Execution", folder.execution_arn)]
    return {
        "title": str(video.get("fileName") or folder.name),
        "status": folder.status,
        "status_label": folder.status.title().replace("_", " "),
        "facts": facts,
        "ids": [(name, value) for name, value in ids if value],
    }


def _failure(folder: VideoFolder) -> dict[str, Any] | None:
    failure = folder.failure()
    if not failure:
        return None
    ended = {"ABORTED": "it was stopped in", "TIMED_OUT": "it timed out in"}.get(
        folder.status, "it failed in"
    )
    return {**failure.model_dump(), "ended": ended}


def _notices(folder: VideoFolder, machine: Machine) -> dict[str, Any]:
    """Things a succeeded run still wants said: handled failures, retries, a duplicate."""
    found = outcomes(folder.states)
    handled: list[dict[str, Any]] = []
    # The duplicate check works by a Catch; the note on the duplicate says all there is to say.
    expected = {a for a, b in transitions(folder.history) if b == "Ignore Duplicate Upload"}
    if folder.status == "SUCCEEDED":
        for state in machine.walk():
            outcome = found.get(state.name)
            if outcome is None or outcome.status not in (CAUGHT, RETRIED) or state.name in expected:
                continue
            # Every distinct reason once: a Map's runs can each fail for their own.
            reasons = list(
                dict.fromkeys(
                    (r.error or "", plain_cause(r.cause)) for r in outcome.runs if r.error
                )
            )
            runs = len(outcome.runs)
            alike = sum(1 for r in outcome.runs if run_status(r) == outcome.status)
            verb = "failed and was handled" if outcome.status == CAUGHT else "was retried"
            if runs > 1:
                verb = f"{verb} in {alike} of {runs} runs"
            handled.append(
                {
                    "state": state.name,
                    "what": verb,
                    "reasons": [{"error": e, "cause": c} for e, c in reasons],
                }
            )
    return {"duplicate": "Ignore Duplicate Upload" in found, "handled": handled}


def _section(key: str, heading: str, lede: str, body: str) -> dict[str, str]:
    return {
        "key": key,
        "title": dict(SECTIONS)[key],
        "heading": heading,
        "lede": lede,
        "body": body,
    }


def _on_screen(folder: VideoFolder, vision: Vision) -> dict[str, str]:
    played = vision.kind == "video" and folder.media("web") is not None
    if vision.kind == "image":
        lede = "What the image analysis found in the picture; the boxes are drawn over it above."
    else:
        lede = (
            "What the video analysis found, along the video and over the web rendition while it "
            "plays."
        )
    return _section(
        "vision", "On screen", lede, on_screen_section(vision, _video_length(folder), played)
    )


def render_video_page(folder: VideoFolder, machine: Machine) -> str:
    found = outcomes(folder.states)
    taken = transitions(folder.history)
    failure = folder.failure()
    culprit = failure.state if failure else ""
    counts: dict[str, int] = {}
    for state in machine.walk():
        status = found[state.name].status if state.name in found else NOT_REACHED
        counts[status] = counts.get(status, 0) + 1
    data = panel_data(machine, folder, found)
    data["initial"] = culprit if culprit in data["states"] else None
    graph = render(
        "graph.html.j2",
        legend=legend(counts),
        svg=state_machine_svg(machine, found, taken, culprit, folder.status),
    )
    said = sentences(folder)
    try:
        vision, refused = read_vision(folder), ""
    except ViewError as error:
        vision, refused = None, str(error)
    drawn = boxes(vision)
    poster = vision.poster if vision is not None and vision.kind == "video" else None
    sections = [
        _section(
            "media",
            "Media",
            "",
            media_section(folder, folder.status == "SUCCEEDED", drawn=drawn, poster=poster),
        ),
    ]
    if vision is not None:
        sections.append(_on_screen(folder, vision))
    elif refused:
        sections.append(_section("vision", "On screen", "", refused_section(refused)))
    if folder.media_kind != "image":  # a picture has no speech to transcribe
        sections.append(_section("transcript", "Transcript", "", transcript_section(folder)))
        sections.append(
            _section(
                "sentiment",
                "Sentiment over time",
                "Each sentence's positive score minus its negative score, where it was said. "
                "Click a bar to play that sentence."
                if any(s.scores for s in said)
                else "",
                sentiment_chart(said, _video_length(folder)),
            )
        )
    sections += [
        _section(
            "graph",
            "State machine",
            "Drawn from the definition; each state is coloured and labelled by what happened "
            "to it in this execution.",
            graph,
        ),
        _section(
            "timeline",
            "Timeline",
            "Each state run as a bar from when it started to when it ended; a poll loop shows "
            "as repeated bars on its row.",
            timeline_section(folder, machine),
        ),
    ]
    sections.append(_section("records", "Records and messages", "", records_section(folder)))
    title = str(folder.video.get("fileName") or folder.name)
    status_word = "failed" if folder.status.ended_badly else ""
    return render(
        "report.html.j2",
        csp=CSP,
        heading=f"{title} ({status_word})" if status_word else title,
        header=_header(folder),
        failure=_failure(folder),
        review=review_banner(vision),
        notices=_notices(folder, machine),
        sections=sections,
        now=_when(datetime.now(UTC)),
        states=data,
    )
