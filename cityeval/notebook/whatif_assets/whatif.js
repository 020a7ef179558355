/* cityeval weights what-if: re-aggregates the embedded dimension scores with the sliders' weights, exactly as
   cityeval.composite.aggregation does (same operations, same order), ranks with the dataset's tie rule and draws
   the table and the bump chart. No network, no kernel. Source: cityeval/notebook/whatif_assets/whatif.js */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";

  function fmt(template, fields) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in fields ? String(fields[k]) : m; });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in (attrs || {})) { if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]); }
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in (attrs || {})) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* one city's composite: cityeval.composite.aggregation._arithmetic/_geometric/_harmonic, missing skipped */
  function combine(row, w, agg) {
    var num = 0.0, ws = 0.0;
    for (var j = 0; j < row.length; j++) {
      var x = row[j];
      if (x === null) continue;
      ws += w[j];
      if (agg === "arithmetic") num += x * w[j];
      else if (agg === "geometric") num += Math.log(x) * w[j];
      else num += w[j] / x;
    }
    if (!(ws > 0)) return null;
    if (agg === "arithmetic") return num / ws;
    if (agg === "geometric") return Math.exp(num / ws);
    return ws / num;
  }

  /* ranks, 1 = highest score (cityeval.composite.ranking: pandas' rank(ascending=False) with the tie rule) */
  function rankScores(scores, ties) {
    var idx = [];
    for (var i = 0; i < scores.length; i++) if (scores[i] !== null) idx.push(i);
    idx.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
    var ranks = scores.map(function () { return null; });
    var pos = 0, dense = 0;
    while (pos < idx.length) {
      var end = pos;
      while (end + 1 < idx.length && scores[idx[end + 1]] === scores[idx[pos]]) end++;
      dense++;
      for (var k = pos; k <= end; k++) {
        var r;
        if (ties === "min") r = pos + 1;
        else if (ties === "dense") r = dense;
        else if (ties === "average") r = (pos + end + 2) / 2;
        else r = k + 1;                                   /* "first": order of the cities in the data */
        ranks[idx[k]] = r;
      }
      pos = end + 1;
    }
    return {ranks: ranks, order: idx};
  }

  function cityevalWhatIf(root) {
    var data = JSON.parse(root.querySelector("script.cew-data").textContent);
    var dims = data.dimensions, n = data.top_n, total = data.cities.id.length;
    var state = {
      lang: root.getAttribute("data-lang") || data.lang,
      values: data.defaults.slice(),
      norm: data.nominal.normalization, agg: data.nominal.aggregation, all: false
    };
    var ui = {};
    var T = function (key, fields) { return fmt(data.strings[state.lang][key], fields || {}); };
    var name = function (item) { return item[state.lang]; };
    var cityName = function (i) { return data.cities[state.lang][i]; };
    var menuName = function (list, key) {
      for (var i = 0; i < list.length; i++) if (list[i].key === key) return list[i][state.lang];
      return key;
    };

    function build() {
      var box = root.querySelector(".cew-app");
      box.innerHTML = "";
      box.setAttribute("lang", state.lang === "zh" ? "zh-CN" : "en");
      var head = el("div", {"class": "cew-head"});
      var titles = el("div", {"class": "cew-titles"});
      titles.appendChild(el("div", {"class": "cew-title", role: "heading", "aria-level": "2"}, T("title")));
      if (T("title_synthetic")) titles.appendChild(el("div", {"class": data.synthetic ? "cew-warn cew-warn-title" : "cew-note"},
                                                      T("title_synthetic")));
      head.appendChild(titles);
      ui.lang = el("button", {type: "button", "class": "cew-lang"}, T("lang"));
      ui.lang.addEventListener("click", function () { state.lang = state.lang === "zh" ? "en" : "zh"; build(); });
      head.appendChild(ui.lang);
      box.appendChild(head);
      box.appendChild(el("p", {"class": "cew-intro"}, T("intro")));

      var controls = el("div", {"class": "cew-controls"});
      var fs = el("fieldset", {"class": "cew-sliders"});
      fs.appendChild(el("legend", {}, T("weights")));
      ui.sliders = []; ui.values = []; ui.shares = [];
      dims.forEach(function (d, j) {
        var row = el("label", {"class": "cew-slider"});
        row.appendChild(el("span", {"class": "cew-dim"}, name(d)));
        var input = el("input", {type: "range", min: "0", max: "5", step: "0.05", value: String(state.values[j]),
                                 "data-code": d.code, "aria-label": name(d)});
        input.addEventListener("input", function () { state.values[j] = parseFloat(input.value); update(); });
        row.appendChild(input);
        var val = el("span", {"class": "cew-value"}), share = el("span", {"class": "cew-share"});
        row.appendChild(val); row.appendChild(share);
        ui.sliders.push(input); ui.values.push(val); ui.shares.push(share);
        fs.appendChild(row);
      });
      controls.appendChild(fs);

      var menus = el("div", {"class": "cew-menus"});
      function menu(label, cls, list, current, onchange) {
        var wrap = el("label", {"class": "cew-menu"});
        wrap.appendChild(el("span", {}, label));
        var sel = el("select", {"class": cls});
        list.forEach(function (m) { var o = el("option", {value: m.key}, m[state.lang]); sel.appendChild(o); });
        sel.value = current;
        sel.addEventListener("change", function () { onchange(sel.value); update(); });
        wrap.appendChild(sel);
        menus.appendChild(wrap);
        return sel;
      }
      ui.norm = menu(T("normalization"), "cew-norm", data.normalizations, state.norm, function (v) { state.norm = v; });
      ui.agg = menu(T("aggregation"), "cew-agg", data.aggregations, state.agg, function (v) { state.agg = v; });
      var buttons = el("div", {"class": "cew-buttons"});
      var equal = el("button", {type: "button", "class": "cew-equal"}, T("equal"));
      equal.addEventListener("click", function () { state.values = dims.map(function () { return 1; }); sync(); });
      var reset = el("button", {type: "button", "class": "cew-reset"}, T("reset"));
      reset.addEventListener("click", function () {
        state.values = data.defaults.slice(); state.norm = data.nominal.normalization;
        state.agg = data.nominal.aggregation; sync();
      });
      buttons.appendChild(equal); buttons.appendChild(reset);
      var all = el("label", {"class": "cew-all"});
      ui.all = el("input", {type: "checkbox", "class": "cew-show-all"});
      ui.all.checked = state.all;
      ui.all.addEventListener("change", function () { state.all = ui.all.checked; update(); });
      all.appendChild(ui.all); all.appendChild(document.createTextNode(" " + T("show_all")));
      buttons.appendChild(all);
      menus.appendChild(buttons);
      menus.appendChild(el("p", {"class": "cew-nominal"}, T("nominal_is", {
        norm: menuName(data.normalizations, data.nominal.normalization),
        agg: menuName(data.aggregations, data.nominal.aggregation)})));
      controls.appendChild(menus);
      box.appendChild(controls);

      ui.message = el("div", {"class": "cew-message", role: "status"});
      box.appendChild(ui.message);
      ui.summary = el("p", {"class": "cew-summary"});
      box.appendChild(ui.summary);
      var out = el("div", {"class": "cew-out"});
      var left = el("div", {"class": "cew-table-wrap"});
      ui.caption = el("div", {"class": "cew-caption"});
      left.appendChild(ui.caption);
      ui.table = el("table", {"class": "cew-table"});
      left.appendChild(ui.table);
      var right = el("div", {"class": "cew-chart"});
      ui.chartTitle = el("div", {"class": "cew-caption"});
      right.appendChild(ui.chartTitle);
      ui.svg = svg("svg", {"class": "cew-bump", role: "img"});
      right.appendChild(ui.svg);
      out.appendChild(left); out.appendChild(right);
      ui.out = out;
      box.appendChild(out);
      update();
    }

    function sync() {
      ui.sliders.forEach(function (s, j) { s.value = String(state.values[j]); state.values[j] = parseFloat(s.value); });
      ui.norm.value = state.norm; ui.agg.value = state.agg;
      update();
    }

    function compute() {
      var sum = 0.0;
      for (var j = 0; j < state.values.length; j++) sum += state.values[j];
      if (!(sum > 0)) return {error: T("all_zero")};
      var reason = (data.refused[state.norm] || {})[state.agg];
      if (reason) return {error: T("refused") + reason};
      var w = state.values.map(function (v) { return v / sum; });
      var rows = data.scores[state.norm][state.agg];
      var scores = rows.map(function (row) { return combine(row, w, state.agg); });
      var r = rankScores(scores, data.ties);
      return {weights: w, scores: scores, ranks: r.ranks, order: r.order};
    }

    function update() {
      var res = compute();
      root.cewResult = res;
      state.values.forEach(function (v, j) {
        ui.values[j].textContent = v.toFixed(2);
        ui.shares[j].textContent = res.weights ? (100 * res.weights[j]).toFixed(1) + "%" : "–";
      });
      if (res.error) {
        ui.message.textContent = res.error; ui.message.style.display = "block";
        ui.out.style.display = "none"; ui.summary.textContent = "";
        return;
      }
      ui.message.style.display = "none"; ui.out.style.display = "";
      drawTable(res); drawChart(res); summarize(res);
    }

    function change(i, res) {
      var before = data.nominal.rank[i], after = res.ranks[i];
      if (before === null || after === null) return {text: "–", cls: ""};
      var d = before - after;
      if (d > 0) return {text: "▲" + d, cls: "cew-up"};
      if (d < 0) return {text: "▼" + (-d), cls: "cew-down"};
      return {text: T("same"), cls: "cew-same"};
    }

    function scoreText(res) {
      var big = 0;
      res.scores.forEach(function (s) { if (s !== null && Math.abs(s) > big) big = Math.abs(s); });
      var digits = big >= 10 ? 1 : 3;
      return function (s) { return s === null ? "–" : s.toFixed(digits); };
    }

    function drawTable(res) {
      var shown = state.all ? res.order : res.order.slice(0, n);
      ui.caption.innerHTML = "";
      if (T("table_synthetic")) ui.caption.appendChild(el("span", {"class": "cew-warn"}, T("table_synthetic")));
      ui.caption.appendChild(document.createTextNode(
        state.all ? T("table_caption_all", {total: total}) : T("table_caption", {n: Math.min(n, shown.length), total: total})));
      var t = ui.table;
      t.innerHTML = "";
      var head = el("tr");
      ["rank", "city", "score", "nominal_rank", "change"].forEach(function (k) { head.appendChild(el("th", {}, T(k))); });
      var thead = el("thead"); thead.appendChild(head); t.appendChild(thead);
      var body = el("tbody"), show = scoreText(res);
      shown.forEach(function (i) {
        var tr = el("tr", {"data-city": data.cities.id[i]});
        tr.appendChild(el("td", {"class": "cew-rank"}, String(res.ranks[i])));
        tr.appendChild(el("td", {"class": "cew-city"}, cityName(i)));
        tr.appendChild(el("td", {"class": "cew-score"}, show(res.scores[i])));
        var nr = data.nominal.rank[i];
        tr.appendChild(el("td", {"class": "cew-nominal-rank"}, nr === null ? "–" : String(nr)));
        var c = change(i, res);
        tr.appendChild(el("td", {"class": "cew-change " + c.cls}, c.text));
        body.appendChild(tr);
      });
      t.appendChild(body);
    }

    function drawChart(res) {
      var s = ui.svg;
      while (s.firstChild) s.removeChild(s.firstChild);
      ui.chartTitle.textContent = T("chart_title", {n: n}) + T("chart_synthetic");
      var rowH = 20, top = 28, W = 520, xl = 175, xr = 345;
      var below = n + 1.4;
      var H = top + rowH * (below + 0.6);
      s.setAttribute("viewBox", "0 0 " + W + " " + H);
      s.setAttribute("width", String(W)); s.setAttribute("height", String(H));
      s.setAttribute("aria-label", T("chart_title", {n: n}));
      var y = function (r) { return top + rowH * ((r === null || r > n ? below : r) - 0.5); };
      s.appendChild(svg("text", {x: xl, y: 14, "text-anchor": "middle", "class": "cew-axis"}, T("chart_left")));
      s.appendChild(svg("text", {x: xr, y: 14, "text-anchor": "middle", "class": "cew-axis"}, T("chart_right")));
      var cities = [];
      for (var i = 0; i < total; i++) {
        var a = data.nominal.rank[i], b = res.ranks[i];
        if ((a !== null && a <= n) || (b !== null && b <= n)) cities.push(i);
      }
      var lines = svg("g", {"class": "cew-lines"}), labels = svg("g", {"class": "cew-labels"});
      cities.forEach(function (i) {
        var a = data.nominal.rank[i], b = res.ranks[i], c = change(i, res).cls || "cew-same";
        var ya = y(a), yb = y(b);
        lines.appendChild(svg("path", {d: "M" + xl + "," + ya + " C" + (xl + 90) + "," + ya + " " + (xr - 90) + "," +
                                       yb + " " + xr + "," + yb, "class": "cew-line " + c, "data-city": data.cities.id[i]}));
        if (a !== null && a <= n) {
          lines.appendChild(svg("circle", {cx: xl, cy: ya, r: 3, "class": "cew-dot " + c}));
          labels.appendChild(svg("text", {x: xl - 8, y: ya + 4, "text-anchor": "end"}, a + "  " + cityName(i)));
        }
        if (b !== null && b <= n) {
          lines.appendChild(svg("circle", {cx: xr, cy: yb, r: 3, "class": "cew-dot " + c}));
          labels.appendChild(svg("text", {x: xr + 8, y: yb + 4, "text-anchor": "start", "class": c},
                                 b + "  " + cityName(i) + (c === "cew-same" ? "" : "  " + change(i, res).text)));
        }
      });
      var yb = y(null);
      s.appendChild(svg("line", {x1: xl - 40, x2: xr + 40, y1: yb - rowH * 0.45, y2: yb - rowH * 0.45, "class": "cew-rule"}));
      s.appendChild(svg("text", {x: xl - 8, y: yb + 4, "text-anchor": "end", "class": "cew-axis"}, T("below", {n: n})));
      s.appendChild(svg("text", {x: xr + 8, y: yb + 4, "text-anchor": "start", "class": "cew-axis"}, T("below", {n: n})));
      s.appendChild(lines); s.appendChild(labels);
    }

    function summarize(res) {
      var moved = 0, entered = 0, up = null, down = null;
      for (var i = 0; i < total; i++) {
        var a = data.nominal.rank[i], b = res.ranks[i];
        if (a === null || b === null) continue;
        if (b <= n && a !== b) moved++;
        if (b <= n && a > n) entered++;
        var d = a - b;
        if (d > 0 && (up === null || d > up.d)) up = {i: i, d: d};
        if (d < 0 && (down === null || d < down.d)) down = {i: i, d: d};
      }
      ui.summary.textContent = T("moved", {
        moved: moved, entered: entered, n: n,
        up: up ? cityName(up.i) + " (▲" + up.d + ")" : T("none"),
        down: down ? cityName(down.i) + " (▼" + (-down.d) + ")" : T("none")});
    }

    root.cewSetLanguage = function (lang) { state.lang = lang; build(); };
    build();
  }

  window.cityevalWhatIf = cityevalWhatIf;
})();
