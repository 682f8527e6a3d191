// The report page's script, inlined: the state panel, subtitles from disk, seeking and docking.
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined && text !== null) el.textContent = String(text);
    return el;
  }
  function secs(v) {
    if (v === null || v === undefined) return "–";
    if (v < 0.995) return v.toFixed(2) + " s";
    if (v < 60) return v.toFixed(1) + " s";
    var m = Math.floor(v / 60), s = Math.round(v % 60);
    return m + " min " + (s < 10 ? "0" : "") + s + " s";
  }

  // ------------------------------------------------------------------ the state panel
  var model = data("rs-states");
  var panel = document.getElementById("rs-panel");
  function text(index) { return index === null || index === undefined ? null : model.texts[index]; }
  function field(dl, name, value) {
    if (value === null || value === undefined || value === "") return;
    dl.appendChild(make("dt", "", name));
    dl.appendChild(make("dd", "", value));
  }
  function block(parent, title, body, open) {
    if (body === null) return;
    var d = make("details");
    if (open) d.open = true;
    d.appendChild(make("summary", "", title));
    d.appendChild(make("pre", "", body));
    parent.appendChild(d);
  }
  function errorBox(parent, failure, cls) {
    var box = make("div", "error-box " + cls);
    box.appendChild(make("strong", "", failure.error || "Error"));
    if (failure.cause) box.appendChild(make("span", "", failure.cause));
    parent.appendChild(box);
  }
  function render(name) {
    var s = model.states[name];
    if (!s || !panel) return;
    panel.textContent = "";
    panel.appendChild(make("h3", "", name));
    var meta = s.type + " state · " + s.label;
    if (s.runs.length) meta += " · " + s.runs.length + " run" + (s.runs.length > 1 ? "s" : "") +
      ", " + secs(s.seconds);
    panel.appendChild(make("p", "meta", meta));
    var dl = make("dl");
    field(dl, "Inside", s.parent);
    field(dl, "Resource", s.resource);
    field(dl, "About", s.comment);
    s.next.forEach(function (e) {
      var how = e.kind === "catch" ? "On error (" + e.label + ")" :
        e.kind === "choice" ? "Choice " + e.label : e.kind === "default" ? "Otherwise" : "Next";
      field(dl, how, e.to);
    });
    s.retry.forEach(function (r) {
      var errors = r.errors.split(", ").join("\n");
      field(dl, "Retries", errors + "\n(up to " + r.attempts + " retries)");
    });
    panel.appendChild(dl);
    if (!s.runs.length) {
      panel.appendChild(make("p", "hint", "This state was not reached in this execution."));
    }
    s.runs.forEach(function (run, i) {
      var last = i === s.runs.length - 1;
      var box = make("div", "run");
      var head = s.runs.length > 1 ? "Run " + run.number + " of " + s.runs.length : "Run";
      box.appendChild(make("h4", "", head + " · " + run.status));
      var facts = make("dl");
      field(facts, "Started", run.start === null ? null : "+" + run.start.toFixed(2) + " s");
      field(facts, "Took", secs(run.seconds));
      if (run.attempts > 1) field(facts, "Attempts", run.attempts);
      box.appendChild(facts);
      var failures = run.failures.length ? run.failures :
        (run.error ? [{ error: run.error, cause: run.cause }] : []);
      var cls = run.statusKey === "failed" ? "" :
        run.statusKey === "retried" ? "recovered" : "caught";
      failures.forEach(function (f) { errorBox(box, f, cls); });
      block(box, "Input", text(run.input), false);
      block(box, "Output", text(run.output), last);
      panel.appendChild(box);
    });
    block(panel, "Definition", text(s.definition), false);
  }
  var selected = null;
  function select(name, scroll) {
    if (!model || !model.states[name]) return;
    var nodes = document.querySelectorAll("svg.graph .node");
    for (var i = 0; i < nodes.length; i++) {
      var on = nodes[i].getAttribute("data-state") === name;
      nodes[i].classList.toggle("selected", on);
      nodes[i].setAttribute("aria-pressed", on ? "true" : "false");
      if (on && scroll) {
        nodes[i].scrollIntoView({ block: "center", inline: "center" });
        nodes[i].focus({ preventScroll: true });
      }
    }
    var edges = document.querySelectorAll("svg.graph .edge");
    for (var j = 0; j < edges.length; j++) {
      var e = edges[j];
      e.classList.toggle("highlight",
        e.getAttribute("data-from") === name || e.getAttribute("data-to") === name);
      // Drawn last, a highlighted edge is not hidden under its neighbours.
      if (e.classList.contains("highlight") && e.classList.contains("taken")) {
        e.parentNode.insertBefore(e, e.parentNode.querySelector(".node"));
      }
    }
    selected = name;
    render(name);
  }
  document.addEventListener("click", function (event) {
    var node = event.target.closest && event.target.closest("svg.graph .node");
    if (node) { select(node.getAttribute("data-state"), false); return; }
    var jump = event.target.closest && event.target.closest("[data-select]");
    if (jump) { select(jump.getAttribute("data-select"), true); }
  });
  document.addEventListener("keydown", function (event) {
    var node = event.target.closest && event.target.closest("svg.graph .node");
    if (node && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      select(node.getAttribute("data-state"), false);
    }
  });
  if (model && model.initial) select(model.initial, false);
  // On a phone the drawing keeps a readable size inside its frame: open it on the state the
  // execution failed in, else where it starts, rather than on the empty corner at its top left.
  var frame = document.querySelector(".graph-scroll");
  if (frame && frame.scrollWidth > frame.clientWidth) {
    var home = (model && model.initial &&
      document.querySelector('svg.graph .node[data-state="' + model.initial + '"]')) ||
      document.querySelector("svg.graph .node");
    if (home) {
      var f = frame.getBoundingClientRect(), n = home.getBoundingClientRect();
      frame.scrollLeft += (n.left + n.width / 2) - (f.left + f.width / 2);
      frame.scrollTop += Math.max(0, n.top - f.top - f.height / 3);
    }
  }

  // ------------------------------------------------------------------ subtitles from disk
  var track = document.querySelector("track[data-embedded]");
  function embedCues() {
    var vtt = data(track.getAttribute("data-embedded"));
    var tt = track.track;
    if (!vtt || !tt || (tt.cues && tt.cues.length) || typeof VTTCue === "undefined") return;
    var time = /(\d+:)?(\d\d):(\d\d)[.,](\d\d\d)/;
    function seconds(stamp) {
      var m = time.exec(stamp);
      if (!m) return NaN;
      return (m[1] ? parseInt(m[1], 10) * 3600 : 0) + parseInt(m[2], 10) * 60 +
        parseInt(m[3], 10) + parseInt(m[4], 10) / 1000;
    }
    vtt.replace(/\r\n?/g, "\n").split(/\n\n+/).forEach(function (chunk) {
      var lines = chunk.split("\n");
      var at = -1;
      for (var i = 0; i < lines.length; i++) if (lines[i].indexOf("-->") >= 0) { at = i; break; }
      if (at < 0) return;
      var ends = lines[at].split("-->");
      var start = seconds(ends[0]), end = seconds(ends[1]);
      if (isNaN(start) || isNaN(end)) return;
      tt.addCue(new VTTCue(start, end, lines.slice(at + 1).join("\n")));
    });
  }
  if (track) {
    // A page opened from disk may not fetch the .vtt beside it (file: URLs are unique
    // origins), so the same cues, embedded in the page, are added instead.
    track.addEventListener("error", embedCues);
    if (track.readyState === 3) embedCues();
  }

  // ------------------------------------------------------------------ seeking and playing
  var video = document.getElementById("rs-web") || document.getElementById("rs-audio");
  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-seek]");
    if (!target || !video) return;
    var at = parseFloat(target.getAttribute("data-seek"));
    if (isNaN(at)) return;
    video.currentTime = at;
    var playing = video.play();
    if (playing && playing.catch) playing.catch(function () { /* the seek still stands */ });
  });
  var sentences = document.querySelectorAll("button.sentence");
  var playhead = document.querySelector("svg.sentiment .playhead");
  function follow() {
    var t = video.currentTime;
    for (var i = 0; i < sentences.length; i++) {
      var s = sentences[i];
      var on = t >= parseFloat(s.getAttribute("data-seek")) &&
        t < parseFloat(s.getAttribute("data-end"));
      s.classList.toggle("playing", on);
      if (on) s.setAttribute("aria-current", "true"); else s.removeAttribute("aria-current");
    }
    if (playhead) {
      var left = parseFloat(playhead.getAttribute("data-left"));
      var width = parseFloat(playhead.getAttribute("data-width"));
      var span = parseFloat(playhead.getAttribute("data-span"));
      var x = left + width * Math.min(t / span, 1);
      playhead.setAttribute("x1", x); playhead.setAttribute("x2", x);
      playhead.setAttribute("visibility", t > 0 ? "visible" : "hidden");
    }
  }
  if (video) {
    video.addEventListener("timeupdate", follow);
    video.addEventListener("seeked", follow);
  }

  // A link to a moment (report.html#t=12.3, as the library's search gives them) seeks the
  // player there: on opening, and when the hash changes. A picture has no player to seek.
  function seekToHash() {
    var m = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
    if (!m || !video) return;
    var at = parseFloat(m[1]);
    var seek = function () {
      var end = video.duration;
      video.currentTime = isFinite(end) ? Math.min(at, end) : at;
      video.scrollIntoView({ block: "nearest" });
    };
    if (video.readyState >= 1) seek();
    else video.addEventListener("loadedmetadata", seek, { once: true });
  }
  window.addEventListener("hashchange", seekToHash);
  seekToHash();

  // ------------------------------------------------------------------ what is on screen
  // Boxes over the web video: the overlay is laid on the picture itself (inside any
  // letterboxing), and each box shows from its start to its end.
  var web = document.getElementById("rs-web");
  var stage = web && web.parentNode.classList.contains("stage") ? web.parentNode : null;
  var overlay = stage && stage.querySelector(".overlay");
  var timed = overlay ? overlay.querySelectorAll("[data-start]") : [];
  // Until the video first plays or is sought, the player shows its poster, a frame from its
  // longest shot: the boxes of the first moment would be drawn over someone else.
  var posterShown = !!(web && web.getAttribute("poster"));
  function fit() {
    if (!overlay) return;
    var vw = web.videoWidth || parseFloat(stage.getAttribute("data-width")) || 16;
    var vh = web.videoHeight || parseFloat(stage.getAttribute("data-height")) || 9;
    var bw = web.clientWidth, bh = web.clientHeight;
    var scale = Math.min(bw / vw, bh / vh);
    var w = vw * scale, h = vh * scale;
    overlay.style.left = (web.offsetLeft + (bw - w) / 2) + "px";
    overlay.style.top = (web.offsetTop + (bh - h) / 2) + "px";
    overlay.style.width = w + "px";
    overlay.style.height = h + "px";
  }
  function showAt(t) {
    for (var i = 0; i < timed.length; i++) {
      var start = parseFloat(timed[i].getAttribute("data-start"));
      var end = parseFloat(timed[i].getAttribute("data-end"));
      // Detections are sampled a few times a second: one seen at a single instant (start =
      // end) still shows for the half second around it.
      timed[i].hidden = posterShown || !(t >= start && t < Math.max(end, start + 0.5));
    }
  }
  var strip = document.querySelector(".strip");
  var stripHead = strip && strip.querySelector(".strip-playhead");
  var shots = strip ? strip.querySelectorAll(".lane.shots button.shot") : [];
  function onScreen() {
    var t = web.currentTime;
    showAt(t);
    if (stripHead) {
      var span = parseFloat(strip.getAttribute("data-span"));
      stripHead.style.left = (100 * Math.min(t / span, 1)) + "%";
      stripHead.hidden = false;
      // A strip wider than its box follows the playhead as it plays or is sought, not while
      // someone scrolls it by hand with the video paused.
      var box = strip.parentNode, x = stripHead.offsetLeft;
      if (!web.paused || web.seeking) {
        if (x < box.scrollLeft || x > box.scrollLeft + box.clientWidth - 20) {
          box.scrollLeft = Math.max(0, x - box.clientWidth / 3);
        }
      }
    }
    for (var i = 0; i < shots.length; i++) {
      var from = parseFloat(shots[i].getAttribute("data-seek"));
      var next = i + 1 < shots.length ? parseFloat(shots[i + 1].getAttribute("data-seek")) : Infinity;
      var on = t >= from && t < next;
      shots[i].classList.toggle("playing", on);
      if (on) shots[i].setAttribute("aria-current", "true"); else shots[i].removeAttribute("aria-current");
    }
  }
  if (web) {
    ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) {
      web.addEventListener(name, onScreen);
    });
    ["play", "seeking"].forEach(function (name) {
      web.addEventListener(name, function () {
        posterShown = false;
        onScreen();
      });
    });
    web.addEventListener("loadedmetadata", fit);
    window.addEventListener("resize", fit);
    if ("ResizeObserver" in window) new ResizeObserver(fit).observe(web);
    fit();
    onScreen();
  }

  // An audio file's subtitles have nowhere to show, so the current cue is written under it.
  var caption = document.getElementById("rs-caption");
  var heard = caption && document.querySelector("#rs-audio track");
  if (heard && heard.track) {
    heard.track.mode = "hidden";
    heard.track.addEventListener("cuechange", function () {
      var lines = [], cues = heard.track.activeCues || [];
      for (var i = 0; i < cues.length; i++) lines.push(cues[i].text);
      caption.textContent = lines.join("\n");
    });
  }

  // While the web video plays out of sight (reading the transcript), it docks in a corner,
  // with the boxes drawn over it.
  if (web && "IntersectionObserver" in window) {
    var figure = web.closest("figure");
    var inView = true;
    var dock = function () {
      var docked = !inView && !web.paused;
      if (docked && !figure.classList.contains("docked")) {
        figure.style.minHeight = figure.offsetHeight + "px";
      }
      figure.classList.toggle("docked", docked);
      if (!docked) figure.style.minHeight = "";
      fit();
    };
    new IntersectionObserver(function (entries) {
      inView = entries[0].isIntersecting;
      dock();
    }, { threshold: 0.25 }).observe(figure);
    web.addEventListener("play", dock);
    web.addEventListener("pause", dock);
  }
})();
