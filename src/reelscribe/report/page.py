"""One video's report: a single HTML file with its style, script and data inline."""

from __future__ import annotations

from datetime import UTC, datetime

from ..results import VideoFolder
from .graph import legend, state_machine_svg
from .html import esc, json_script, seconds
from .media import media_section, probe
from .messages import records_section
from .panel import panel_data
from .script import JS
from .sentiment import sentiment_chart
from .statemachine import Machine
from .status import CAUGHT, NOT_REACHED, RETRIED, outcomes, plain_cause, transitions
from .style import CSS
from .timeline import timeline_section
from .transcript_view import sentences, transcript_section

# Nothing but this file and the folder beside it: no fonts, scripts or requests elsewhere.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src 'self' file: data:; media-src 'self' file: data: blob:; base-uri 'none'; "
    "form-action 'none'"
)
SECTIONS = (
    ("graph", "State machine"),
    ("timeline", "Timeline"),
    ("media", "Media"),
    ("transcript", "Transcript"),
    ("sentiment", "Sentiment"),
    ("records", "Records and messages"),
)


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "–"


def _video_length(folder: VideoFolder) -> float | None:
    recorded = folder.video_item.duration_seconds
    if recorded is not None:
        return recorded
    web = folder.media("web")
    return probe(web).duration if web is not None else None


def _header(folder: VideoFolder) -> str:
    video = folder.video
    title = str(video.get("fileName") or folder.name)
    facts = [
        ("Started", _when(folder.started)),
        ("Run time", seconds(folder.seconds)),
        ("Video length", seconds(_video_length(folder))),
        ("User", str(video.get("userId") or "–")),
        ("Video id", str(video.get("videoId") or "–")),
    ]
    items = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in facts)
    arn = folder.execution_arn
    if folder.source:
        items += f'<div><dt>Source</dt><dd class="mono">{esc(folder.source)}</dd></div>'
    if arn:
        items += f'<div><dt>Execution</dt><dd class="mono">{esc(arn)}</dd></div>'
    # Every way of building reports writes the batch's index.html beside the video folders.
    crumbs = '<p class="crumbs"><a href="../index.html">All videos</a></p>'
    status = folder.status
    return (
        f'{crumbs}<header class="top"><h1>{esc(title)}</h1>'
        f'<span class="pill {esc(status)}">{esc(status.title().replace("_", " "))}</span>'
        f'</header><dl class="facts">{items}</dl>'
    )


def _failure(folder: VideoFolder) -> str:
    failure = folder.failure()
    if not failure:
        return ""
    state = failure.state or "an unknown state"
    ended = {"ABORTED": "it was stopped in", "TIMED_OUT": "it timed out in"}.get(
        folder.status, "it failed in"
    )
    reason = failure.reason or "The execution history gives no reason."
    detail = ""
    if failure.cause and failure.cause != failure.reason:
        detail = (
            f"<details><summary>The full cause</summary><pre>{esc(failure.cause)}</pre></details>"
        )
    show = (
        f'<p><button type="button" class="link" data-select="{esc(failure.state)}">'
        f"Show {esc(failure.state)} in the state machine</button></p>"
        if failure.state
        else ""
    )
    return (
        f'<section class="failure" id="failure" role="alert" aria-labelledby="failure-title">'
        f'<h2 id="failure-title">✕ This video was not processed: {ended} '
        f"“{esc(state)}”</h2>"
        f'<p class="why"><strong>Why:</strong> {esc(reason)}</p>'
        f"<p><strong>Error:</strong> <code>{esc(failure.error or 'unknown')}</code></p>"
        f"{detail}{show}</section>"
    )


def _notices(folder: VideoFolder, machine: Machine) -> str:
    """Things a succeeded run still wants said: handled failures, retries, a duplicate."""
    found = outcomes(folder.states)
    lines: list[str] = []
    # The duplicate check works by a Catch; the note on the duplicate says all there is to say.
    expected = {a for a, b in transitions(folder.history) if b == "Ignore Duplicate Upload"}
    if "Ignore Duplicate Upload" in found:
        lines.append(
            "This upload was already registered by another execution, so nothing was processed "
            "again."
        )
    if folder.status == "SUCCEEDED":
        for state in machine.walk():
            outcome = found.get(state.name)
            if outcome is None or outcome.status not in (CAUGHT, RETRIED) or state.name in expected:
                continue
            last = next((r for r in reversed(outcome.runs) if r.error), None)
            what = "failed and was handled" if outcome.status == CAUGHT else "was retried"
            error = f": {last.error}" if last and last.error else ""
            lines.append(
                f'<button type="button" class="link" data-select="{esc(state.name)}">'
                f"{esc(state.name)}</button> {what}{esc(error)}. "
                f"{esc(plain_cause(last.cause if last else None))}"
            )
    if not lines:
        return ""
    body = "".join(f"<p>{line}</p>" for line in lines)
    return f'<section class="notice" aria-label="Notes on this run">{body}</section>'


def _section(key: str, title: str, lede: str, body: str) -> str:
    lede_html = f'<p class="lede">{lede}</p>' if lede else ""
    return (
        f'<section class="card" id="{key}" aria-labelledby="{key}-title">'
        f'<h2 id="{key}-title">{esc(title)}</h2>{lede_html}{body}</section>'
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
    graph = (
        f'{legend(counts)}<div class="graph-layout"><div class="graph-scroll">'
        f"{state_machine_svg(machine, found, taken, culprit)}</div>"
        f'<aside class="panel" id="rs-panel" aria-live="polite" aria-label="Selected state">'
        f'<p class="hint">Select a state (click it, or Tab to it and press Enter) to see its '
        f"input, output, error and cause.</p></aside></div>"
    )
    said = sentences(folder)
    nav = "".join(f'<a href="#{key}">{esc(title)}</a>' for key, title in SECTIONS)
    body = [
        _header(folder),
        _failure(folder),
        _notices(folder, machine),
        f'<nav class="toc" aria-label="Sections">{nav}</nav>',
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
        _section("media", "Media", "", media_section(folder, folder.status == "SUCCEEDED")),
        _section("transcript", "Transcript", "", transcript_section(folder)),
        _section(
            "sentiment",
            "Sentiment over time",
            "Each sentence's positive score minus its negative score, where it was said. "
            "Click a bar to play that sentence."
            if any(s.scores for s in said)
            else "",
            sentiment_chart(said, _video_length(folder)),
        ),
        _section("records", "Records and messages", "", records_section(folder)),
        f"<footer>Report by reelscribe, {esc(_when(datetime.now(UTC)))}. The page loads nothing "
        "from the network: the media are the files in this folder.</footer>",
    ]
    title = str(folder.video.get("fileName") or folder.name)
    status_word = "failed" if folder.status.ended_badly else ""
    heading = f"{title} ({status_word})" if status_word else title
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="color-scheme" content="light">'
        f"<title>{esc(heading)} · reelscribe report</title><style>{CSS}</style></head>"
        f'<body><main class="page">{"".join(body)}</main>'
        f"{json_script('rs-states', data)}<script>{JS}</script></body></html>\n"
    )
