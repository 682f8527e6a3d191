// The search page: its address holds the query and the ticked facets (so a search can be
// linked and reloaded); this asks /search, the Search function, and shows what it answers.
(function () {
  "use strict";
  var KINDS = {
    transcript: "said", text: "on screen", label: "label", face: "face",
    celebrity: "celebrity", moderation: "moderation", keyPhrase: "key phrase",
    entity: "entity", shot: "shot", person: "person"
  };
  // The function filters by kinds and by one user; the rest is narrowed here, in the hits.
  var FACETS = [["kind", "Kind"], ["user", "User"], ["mediaKind", "Media"], ["language", "Language"]];
  var LIMIT = 20;
  var form = document.getElementById("rs-search");
  var box = document.getElementById("rs-q");
  var facetsBox = document.getElementById("rs-facets");
  var status = document.getElementById("rs-status");
  var results = document.getElementById("rs-results");
  var more = document.getElementById("rs-more");
  var asked = new URLSearchParams(window.location.search);
  var chosen = {};
  FACETS.forEach(function (f) { chosen[f[0]] = asked.getAll(f[0]); });
  var reports = {};
  var shown = 0;

  function make(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) el.className = cls;
    if (text !== undefined && text !== null) el.textContent = text;
    return el;
  }
  function clock(t) {
    if (t === null || t === undefined) return "picture";
    var h = Math.floor(t / 3600), m = Math.floor((t % 3600) / 60), s = (t % 60).toFixed(1);
    if (s.length < 4) s = "0" + s;
    return h ? h + ":" + (m < 10 ? "0" : "") + m + ":" + s : m + ":" + s;
  }
  // The highlight is the moment's text escaped by the server, with the matched words in <b>:
  // placed as HTML only when it holds no other tag.
  function snippet(moment) {
    var el = make("span", "snippet");
    var h = moment.highlight || "";
    if (/<(?!\/?b>)/.test(h)) el.textContent = moment.text; else el.innerHTML = h;
    return el;
  }
  function reportOf(hit) { return hit.report || reports[hit.videoId] || null; }
  function wanted(hit) {
    var users = chosen.user.length > 1 ? chosen.user : [];
    return (!users.length || users.indexOf(hit.user) >= 0) &&
      (!chosen.mediaKind.length || chosen.mediaKind.indexOf(hit.mediaKind) >= 0) &&
      (!chosen.language.length || chosen.language.indexOf(hit.language) >= 0);
  }

  function showFacets(facets) {
    facetsBox.textContent = "";
    FACETS.forEach(function (f) {
      var name = f[0], counts = facets[name] || {};
      var values = Object.keys(counts);
      chosen[name].forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
      if (!values.length) return;
      values.sort();
      var set = make("fieldset");
      set.appendChild(make("legend", null, f[1]));
      values.forEach(function (value) {
        var label = make("label");
        var tick = make("input");
        tick.type = "checkbox"; tick.name = name; tick.value = value;
        tick.checked = chosen[name].indexOf(value) >= 0;
        tick.addEventListener("change", function () { form.submit(); });
        label.appendChild(tick);
        label.appendChild(document.createTextNode(name === "kind" ? KINDS[value] || value : value || "-"));
        label.appendChild(make("span", "count", "(" + (counts[value] || 0) + ")"));
        set.appendChild(label);
      });
      facetsBox.appendChild(set);
    });
  }

  function showHit(hit) {
    var report = reportOf(hit);
    var card = make("article", "hit");
    var title = make("h2");
    if (report) {
      var a = make("a", null, hit.name);
      a.href = report;
      title.appendChild(a);
    } else {
      title.textContent = hit.name;
    }
    card.appendChild(title);
    var noun = hit.matches === 1 ? " match" : " matches";
    card.appendChild(make("p", "meta",
      [hit.user, hit.mediaKind, hit.language, hit.matches + noun].join(" · ")));
    var list = make("ol", "moments");
    hit.moments.forEach(function (moment) {
      var at = moment.start;
      var item = make("li");
      var row = make(report ? "a" : "div", "moment");
      if (report) row.href = at === null || at === undefined ? report : report + "#t=" + at;
      row.appendChild(make("span", "time", clock(at)));
      row.appendChild(make("span", "kind", KINDS[moment.kind] || moment.kind));
      row.appendChild(snippet(moment));
      item.appendChild(row);
      list.appendChild(item);
    });
    card.appendChild(list);
    results.appendChild(card);
  }

  function ask(cursor) {
    var q = new URLSearchParams();
    q.set("q", asked.get("q"));
    if (chosen.kind.length) q.set("kind", chosen.kind.join(","));
    if (chosen.user.length === 1) q.set("user", chosen.user[0]);
    q.set("limit", String(LIMIT));
    if (cursor) q.set("cursor", cursor);
    status.textContent = "Searching…";
    more.hidden = true;
    return fetch("search?" + q.toString()).then(function (response) {
      return response.json().then(function (found) {
        if (!response.ok) throw new Error(found.message || response.statusText);
        return found;
      });
    }).then(function (found) {
      if (!cursor) { results.textContent = ""; shown = 0; showFacets(found.facets || {}); }
      found.hits.filter(wanted).forEach(function (hit) { showHit(hit); shown += 1; });
      var noun = found.total === 1 ? " upload matches" : " uploads match";
      status.textContent = found.total + noun + " \u201c" + found.query + "\u201d" +
        (shown < found.total ? "; " + shown + " shown" : "") + ".";
      if (found.cursor) {
        more.hidden = false;
        more.onclick = function () { ask(found.cursor); };
      }
    }).catch(function (error) {
      status.textContent = "The search failed: " + error.message;
    });
  }

  if (asked.get("q")) {
    box.value = asked.get("q");
    fetch("reports.json").then(function (r) { return r.ok ? r.json() : {}; })
      .catch(function () { return {}; })
      .then(function (links) { reports = links; ask(null); });
  } else {
    box.focus();
  }
})();
