"""The report's stylesheet, inlined so the page needs nothing but its own file and the media."""

CSS = """
:root {
  --ink: #1d2433; --muted: #5b6474; --line: #d9dee7; --paper: #ffffff; --bg: #f4f6f9;
  --accent: #2456c7;
  --ok-fill: #dcf5e3; --ok-line: #1b7a3d; --ok-ink: #0f5128;
  --retry-fill: #e3e8ff; --retry-line: #4452c4; --retry-ink: #2b338a;
  --caught-fill: #ffeccc; --caught-line: #b35a00; --caught-ink: #7a3b00;
  --fail-fill: #fde0e0; --fail-line: #c02121; --fail-ink: #8f1414;
  --run-fill: #fff6c2; --run-line: #8a6d00; --run-ink: #5c4800;
  --none-fill: #f1f3f6; --none-line: #9aa3b2; --none-ink: #5b6474;
  --pos: #1b7a3d; --pos-bg: #e3f6e8; --neg: #c02121; --neg-bg: #fde6e6;
  --neu: #5b6474; --neu-bg: #eef0f4; --mix: #8a4fbf; --mix-bg: #f2e8fb;
}
* { box-sizing: border-box; }
html { font-size: 15px; }
body {
  margin: 0; background: var(--bg); color: var(--ink); line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Noto Sans", "Liberation Sans", sans-serif;
}
code, pre, .mono {
  font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  font-size: 0.85rem;
}
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.page { max-width: 1320px; margin: 0 auto; padding: 20px 24px 64px; }
header.top { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 16px; }
header.top h1 { margin: 0; font-size: 1.7rem; letter-spacing: -0.01em; }
.crumbs { font-size: 0.9rem; color: var(--muted); margin-bottom: 4px; }
.facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 10px 0 0; padding: 0; }
.facts div { display: flex; flex-direction: column; }
.facts dt { font-size: 0.75rem; text-transform: uppercase; letter-spacing: 0.05em;
  color: var(--muted); }
.facts dd { margin: 0; font-weight: 600; }
.facts dd.mono { font-weight: 400; font-size: 0.8rem; word-break: break-all; }
.pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 0.85rem;
  font-weight: 600; border: 1px solid; white-space: nowrap; }
.pill.SUCCEEDED, .pill.succeeded { background: var(--ok-fill); color: var(--ok-ink);
  border-color: var(--ok-line); }
.pill.FAILED, .pill.failed, .pill.TIMED_OUT, .pill.ABORTED { background: var(--fail-fill);
  color: var(--fail-ink); border-color: var(--fail-line); }
.pill.RUNNING { background: var(--run-fill); color: var(--run-ink); border-color: var(--run-line); }
nav.toc { position: sticky; top: 0; z-index: 5; background: rgba(244, 246, 249, 0.95);
  border-bottom: 1px solid var(--line); margin: 16px -24px 0; padding: 8px 24px;
  display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 0.9rem; }
nav.toc a { text-decoration: none; color: var(--muted); font-weight: 600; }
nav.toc a:hover { color: var(--accent); }
section.card { background: var(--paper); border: 1px solid var(--line); border-radius: 12px;
  padding: 18px 22px 22px; margin-top: 20px; }
section.card > h2 { margin: 0 0 4px; font-size: 1.25rem; }
.lede { color: var(--muted); margin: 0 0 14px; }
h3 { font-size: 1rem; margin: 18px 0 8px; }
.empty { color: var(--muted); font-style: italic; }

.failure { margin-top: 16px; border: 2px solid var(--fail-line); background: var(--fail-fill);
  color: var(--fail-ink); border-radius: 12px; padding: 14px 20px; }
.failure h2 { margin: 0 0 6px; font-size: 1.25rem; color: var(--fail-ink); }
.failure p { margin: 4px 0; color: var(--ink); }
.failure .why { font-size: 1.05rem; }
.failure code { background: rgba(255, 255, 255, 0.7); padding: 1px 5px; border-radius: 4px; }
.notice { margin-top: 16px; border: 1px solid var(--caught-line); background: #fff7ea;
  border-radius: 12px; padding: 10px 18px; }
.notice p { margin: 4px 0; }
button.link { background: none; border: 0; padding: 0; color: var(--accent);
  font: inherit; text-decoration: underline; cursor: pointer; }

.graph-layout { display: grid; grid-template-columns: minmax(0, 1fr) 410px; gap: 18px;
  align-items: start; }
@media (max-width: 1000px) { .graph-layout { grid-template-columns: 1fr; } }
.graph-scroll { overflow: auto; max-height: 88vh; border: 1px solid var(--line);
  border-radius: 10px; background: #fbfcfd; padding: 8px; }
svg.graph { display: block; margin: 0 auto; font-size: 12.5px; }
svg .node { cursor: pointer; }
svg .node .shape { stroke-width: 1.6; }
svg .node .name { fill: var(--ink); font-weight: 600; }
svg .node .kind { fill: var(--muted); font-weight: 400; }
svg .node .status-line { font-size: 11px; font-weight: 600; }
svg .node:focus { outline: none; }
svg .node:focus-visible .shape, svg .node.selected .shape { stroke-width: 4;
  stroke: var(--accent); }
svg .node:hover .shape { stroke-width: 3; }
svg .node[data-type="Parallel"] .shape, svg .node[data-type="Map"] .shape {
  fill-opacity: 0.45; }
svg .node.culprit .shape { stroke-width: 3.5; }
.node[data-status="succeeded"] .shape { fill: var(--ok-fill); stroke: var(--ok-line); }
.node[data-status="succeeded"] .status-line { fill: var(--ok-ink); }
.node[data-status="retried"] .shape { fill: var(--retry-fill); stroke: var(--retry-line); }
.node[data-status="retried"] .status-line { fill: var(--retry-ink); }
.node[data-status="caught"] .shape { fill: var(--caught-fill); stroke: var(--caught-line); }
.node[data-status="caught"] .status-line { fill: var(--caught-ink); }
.node[data-status="failed"] .shape { fill: var(--fail-fill); stroke: var(--fail-line); }
.node[data-status="failed"] .status-line { fill: var(--fail-ink); }
.node[data-status="running"] .shape { fill: var(--run-fill); stroke: var(--run-line); }
.node[data-status="running"] .status-line { fill: var(--run-ink); }
.node[data-status="not-reached"] .shape { fill: var(--none-fill); stroke: var(--none-line);
  stroke-dasharray: 5 3; }
.node[data-status="not-reached"] .status-line { fill: var(--none-ink); font-weight: 400; }
.node[data-status="not-reached"] .name { fill: var(--none-ink); font-weight: 500; }
.node.culprit .status-line { fill: var(--fail-ink); }
.node.culprit .shape { stroke: var(--fail-line); }
svg .edge { fill: none; stroke-width: 1.3; }
svg .edge.idle { stroke: #b8c0cc; }
svg .edge.taken { stroke: #3b4558; stroke-width: 2.2; }
svg .edge.catch { stroke-dasharray: 6 4; }
svg .edge.catch.taken { stroke: var(--caught-line); }
svg .edge.loop.taken { stroke: var(--retry-line); }
svg .edge.taken.highlight { stroke: var(--accent); stroke-width: 3; }
svg .edge.idle.highlight { stroke: #7b8494; }
svg .flag rect { fill: var(--fail-line); }
svg .flag text { fill: #fff; font-size: 10px; font-weight: 700; letter-spacing: 0.04em; }
.head-idle { fill: #b8c0cc; }
.head-taken { fill: #3b4558; }
.head-catch { fill: var(--caught-line); }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0;
  margin: 0 0 12px; font-size: 0.88rem; }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend svg { flex: none; }
.legend .count { color: var(--muted); font-variant-numeric: tabular-nums; }
.legend .count::before { content: "("; } .legend .count::after { content: ")"; }

.panel { position: sticky; top: 52px; max-height: calc(100vh - 70px); overflow: auto;
  border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px;
  background: var(--paper); }
.panel h3 { margin: 0; font-size: 1.1rem; }
.panel .meta { color: var(--muted); font-size: 0.85rem; margin: 2px 0 10px; }
.panel .hint { color: var(--muted); }
.panel dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0;
  font-size: 0.88rem; }
.panel dt { color: var(--muted); }
.panel dd { margin: 0; overflow-wrap: anywhere; white-space: pre-line; }
.panel .run { border-top: 1px solid var(--line); padding-top: 8px; margin-top: 10px; }
.panel .run h4 { margin: 0 0 4px; font-size: 0.92rem; }
.panel .error-box { border-left: 4px solid var(--fail-line); background: var(--fail-fill);
  padding: 6px 10px; border-radius: 4px; margin: 6px 0; font-size: 0.88rem; }
.panel .error-box.caught { border-color: var(--caught-line); background: #fff3df; }
.panel .error-box.recovered { border-color: var(--retry-line); background: var(--retry-fill); }
.panel .error-box strong { display: block; }
.panel pre, .records pre, .email pre { background: #f6f8fa; border: 1px solid var(--line);
  border-radius: 6px; padding: 8px 10px; overflow: auto; max-height: 360px; margin: 4px 0 0;
  white-space: pre-wrap; word-break: break-word; }
details > summary { cursor: pointer; font-weight: 600; font-size: 0.88rem; margin-top: 6px; }

.timeline-summary { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 0 0 8px; }
.split { display: flex; height: 14px; border-radius: 7px; overflow: hidden; margin: 4px 0 14px;
  border: 1px solid var(--line); max-width: 640px; }
.split .wait { background: repeating-linear-gradient(45deg, #a9b8d6 0 4px, #d5deef 4px 8px); }
.split .work { background: #2f6fdb; }
.swatch-wait, .swatch-work { display: inline-block; width: 14px; height: 10px; border-radius: 2px;
  vertical-align: middle; margin-right: 4px; }
.swatch-wait { background: repeating-linear-gradient(45deg, #a9b8d6 0 3px, #d5deef 3px 6px); }
.swatch-work { background: #2f6fdb; }
.timeline-scroll { overflow-x: auto; }
svg.timeline { display: block; font-size: 11.5px; }
svg.timeline .row-label { fill: var(--ink); }
svg.timeline .row-label.nested { fill: var(--muted); }
svg.timeline .row:hover .row-bg { fill: #eef3fc; }
svg.timeline .row { cursor: pointer; }
svg.timeline .row-bg { fill: transparent; }
svg.timeline .grid { stroke: #e6e9ef; }
svg.timeline .axis text { fill: var(--muted); }
svg.timeline .bar.work { fill: #2f6fdb; }
svg.timeline .bar.wait { fill: url(#rs-hatch); stroke: #7f93bd; stroke-width: 0.6; }
svg.timeline .bar.caught { fill: var(--caught-line); }
svg.timeline .bar.failed { fill: var(--fail-line); }
svg.timeline .bar.retried { fill: var(--retry-line); }
svg.timeline .runs { fill: var(--muted); font-size: 10.5px; }

.media-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr));
  gap: 18px; align-items: start; }
.media-grid figure { margin: 0; border: 1px solid var(--line); border-radius: 10px;
  padding: 12px; background: #fbfcfd; display: flex; flex-direction: column; gap: 8px; }
.media-grid figure.wide { grid-column: span 2; }
@media (max-width: 760px) { .media-grid figure.wide { grid-column: auto; } }
.media-grid video, .media-grid img { width: 100%; border-radius: 6px; background: #111; }
.media-grid img { background: transparent; }
figure.docked video { position: fixed; right: 16px; bottom: 16px; width: min(420px, 45vw);
  z-index: 20; box-shadow: 0 6px 24px rgba(0, 0, 0, 0.35); }
.media-grid audio { width: 100%; }
.media-grid figcaption { font-weight: 700; }
.media-grid dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 0;
  font-size: 0.85rem; }
.media-grid dt { color: var(--muted); }
.media-grid dd { margin: 0; }
.files { font-size: 0.88rem; margin-top: 14px; }
.files a { margin-right: 14px; }

.transcript-layout { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 20px; }
@media (max-width: 900px) { .transcript-layout { grid-template-columns: 1fr; } }
ol.sentences { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column;
  gap: 6px; }
button.sentence { display: grid; grid-template-columns: 4.2em 1fr auto; gap: 10px; width: 100%;
  text-align: left; font: inherit; color: var(--ink); border: 1px solid var(--line);
  border-left-width: 6px; border-radius: 8px; padding: 8px 12px; background: var(--paper);
  cursor: pointer; align-items: baseline; }
button.sentence:hover { box-shadow: 0 1px 4px rgba(0, 0, 0, 0.12); }
button.sentence.playing { outline: 2px solid var(--accent); }
button.sentence .time { font-variant-numeric: tabular-nums; color: var(--muted); }
.tag { font-size: 0.78rem; font-weight: 700; padding: 0 8px; border-radius: 999px;
  white-space: nowrap; border: 1px solid; }
button.sentence.sentiment-POSITIVE { background: var(--pos-bg); border-color: #a6d8b4;
  border-left-color: var(--pos); }
button.sentence.sentiment-NEGATIVE { background: var(--neg-bg); border-color: #efb0b0;
  border-left-color: var(--neg); }
button.sentence.sentiment-NEUTRAL { background: var(--neu-bg); border-left-color: #9aa3b2; }
button.sentence.sentiment-MIXED { background: var(--mix-bg); border-color: #d5b8ee;
  border-left-color: var(--mix); }
.tag.POSITIVE { color: var(--pos); border-color: var(--pos); background: #fff; }
.tag.NEGATIVE { color: var(--neg); border-color: var(--neg); background: #fff; }
.tag.NEUTRAL { color: var(--neu); border-color: #9aa3b2; background: #fff; }
.tag.MIXED { color: var(--mix); border-color: var(--mix); background: #fff; }
.overall { border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; }
.overall h3 { margin: 16px 0 6px; }
.overall h3:first-child { margin-top: 0; }
.scores { display: grid; grid-template-columns: 5.5em 1fr 3em; gap: 3px 8px; align-items: center;
  font-size: 0.85rem; }
.scores .meter { height: 8px; border-radius: 4px; background: #eceff3; overflow: hidden; }
.scores .meter span { display: block; height: 100%; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; padding: 0; margin: 0; list-style: none; }
.chips button { font: inherit; font-size: 0.85rem; border: 1px solid var(--line);
  background: #f6f8fb; border-radius: 999px; padding: 2px 10px; cursor: pointer; }
.chips button:hover { border-color: var(--accent); }

svg.sentiment { display: block; width: 100%; height: auto; font-size: 12px; }
svg.sentiment .axis-line { stroke: #7b8494; }
svg.sentiment .grid { stroke: #e6e9ef; }
svg.sentiment .axis text, svg.sentiment .axis-title { fill: var(--muted); }
svg.sentiment .seg { cursor: pointer; }
svg.sentiment .seg.up rect { fill: var(--pos); }
svg.sentiment .seg.down rect { fill: var(--neg); }
svg.sentiment .seg.flat rect { fill: #9aa3b2; }
svg.sentiment .seg:hover rect { opacity: 0.8; }
svg.sentiment .value { fill: var(--ink); font-size: 11px; font-weight: 600; }
svg.sentiment .line { fill: none; stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 3 3; }
svg.sentiment .playhead { stroke: var(--accent); stroke-width: 2; }

.records h3 code, .email h3 { font-size: 0.95rem; }
.email { border: 1px solid var(--line); border-radius: 10px; padding: 12px 16px; margin-top: 12px; }
.email h3 { margin: 0 0 6px; }
.email dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 12px; margin: 0 0 8px;
  font-size: 0.85rem; }
.email dt { color: var(--muted); }
.email dd { margin: 0; word-break: break-all; }
.two-col { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 20px; }

table.runs { width: 100%; border-collapse: collapse; background: var(--paper); }
table.runs th, table.runs td { text-align: left; padding: 9px 12px; vertical-align: top;
  border-bottom: 1px solid var(--line); }
table.runs th { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.05em;
  color: var(--muted); }
table.runs td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
table.runs .reason { color: var(--muted); font-size: 0.88rem; }
footer { color: var(--muted); font-size: 0.82rem; margin-top: 28px; }
@media print { nav.toc { display: none; } .graph-scroll { max-height: none; } }
"""
