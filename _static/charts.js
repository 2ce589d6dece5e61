// Charts arrive as static SVG images, drawn at build time: nothing here runs before the page is shown.
// A chart becomes interactive (tooltips) when a reader reaches for it (pointer, touch or keyboard focus)
// or, once the reader has scrolled, when it comes into view: only then is the vendored Vega runtime
// (about 800 kB, under _static/vega) loaded, once per page and never from another host.
// Each chart's "data behind this chart" table is built from its JSON when the disclosure is opened.
(function () {
  "use strict";
  var base = document.currentScript.src.replace(/[^/]*$/, "");
  var runtime = null;

  function load(file) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = base + file;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + file)); };
      document.head.appendChild(script);
    });
  }

  function vegaRuntime() {
    if (!runtime) {
      runtime = load("vega/vega.min.js")
        .then(function () { return load("vega/vega-lite.min.js"); })
        .then(function () { return load("vega/vega-embed.min.js"); });
    }
    return runtime;
  }

  // Lines of at most `room` pixels, roughly: a Chinese character is about one em wide, other text about half.
  function wrapped(text, room, fontSize) {
    if (typeof text !== "string") return text;
    var lines = [], line = "";
    var width = function (words) { return words.replace(/[\u3000-\u9fff]/g, "mm").length * fontSize * 0.52; };
    text.split(" ").forEach(function (word) {
      var next = line ? line + " " + word : word;
      if (line && width(next) > room) { lines.push(line); line = word; } else { line = next; }
    });
    if (line) lines.push(line);
    return lines.length > 1 ? lines : text;
  }

  // A chart faceted into columns of bands (Biren's full years beside its first halves), made `excess`
  // pixels narrower by narrowing every band alike; null when the chart is not of that kind.
  function narrowerBands(spec, excess) {
    var inner = spec.spec, facet = spec.facet && (spec.facet.column || spec.facet);
    var x = inner && inner.encoding && inner.encoding.x;
    if (!inner || !facet || !facet.field || !x || !x.field || !inner.width || typeof inner.width.step !== "number") return null;
    var bands = {};
    Object.keys(spec.datasets || {}).forEach(function (name) {
      spec.datasets[name].forEach(function (row) {
        if (x.field in row) bands[row[facet.field] + "\u0000" + row[x.field]] = true;
      });
    });
    var count = Object.keys(bands).length;
    if (!count) return null;
    var step = Math.max(16, inner.width.step - Math.ceil(excess / count) - 1);
    return Object.assign({}, inner, { width: { step: step } });
  }

  // On a screen narrower than the chart (a phone), the chart is laid out again across the room there is,
  // its text at full size, instead of being scaled down whole (axis labels of about 6 px at 390 px): a
  // single view takes the column's width, a faceted one narrower bands; title and subtitle wrap, long
  // category labels are shortened (the tooltip and the data table keep them whole), the legend takes
  // one column. Other compositions stay scaled.
  function fitted(spec, chart) {
    var room = chart.clientWidth;
    var drawn = chart.querySelector("img.chart-static");
    var natural = drawn ? drawn.naturalWidth : 0;
    if (!room || !natural || room >= natural) return spec;
    var single = !(spec.facet || spec.hconcat || spec.vconcat || spec.concat || spec.repeat ||
                   (spec.encoding && (spec.encoding.row || spec.encoding.column || spec.encoding.facet)));
    var narrow;
    if (single) {
      narrow = Object.assign({}, spec, { width: room, autosize: { type: "fit-x", contains: "padding" } });
    } else {
      var inner = narrowerBands(spec, natural - room);
      if (!inner) return spec;
      narrow = Object.assign({}, spec, { spec: inner });
    }
    var config = Object.assign({}, spec.config || {});
    var titleConfig = config.title || {};
    if (spec.title) {
      var title = typeof spec.title === "string" || Array.isArray(spec.title) ? { text: spec.title } : Object.assign({}, spec.title);
      title.text = wrapped(title.text, room, titleConfig.fontSize || 15);
      title.subtitle = wrapped(title.subtitle, room, titleConfig.subtitleFontSize || 12);
      narrow.title = title;
    }
    config.legend = Object.assign({}, config.legend || {}, { columns: 1 });
    config.axisY = Object.assign({}, config.axisY || {}, { labelLimit: Math.round(room * 0.45) });
    config.axisX = Object.assign({}, config.axisX || {}, { labelOverlap: "greedy", titleLimit: Math.round(room * 0.55) });
    narrow.config = config;
    return narrow;
  }

  function makeInteractive(chart) {
    if (chart.dataset.live) return;
    chart.dataset.live = "1";
    var spec = document.querySelector('script.vega-spec[data-target="' + chart.id + '"]');
    if (!spec) return;
    vegaRuntime().then(function () {
      var view = document.createElement("div");
      return vegaEmbed(view, fitted(JSON.parse(spec.textContent), chart), { actions: false, renderer: "svg" }).then(function () {
        // Vega labels its drawing "Vega visualization"; the chart's own description replaces that.
        var svg = view.querySelector("svg");
        if (svg) svg.setAttribute("aria-label", chart.getAttribute("aria-label") || "");
        chart.replaceChildren(view);   // the static image stays until the live chart is drawn
      });
    }).catch(function (error) {
      console.warn("chart stays static:", error);   // the static image is still the chart
    });
  }

  function csvCell(value) {
    return '"' + String(value).replace(/"/g, '""') + '"';
  }

  function showValues(details) {
    if (details.dataset.built) return;
    details.dataset.built = "1";
    // The header, then the rows: text made spreadsheet-safe at build time (gpuipo.publish).
    var values = JSON.parse(details.querySelector("script.chart-values").textContent);
    var table = document.createElement("table");
    table.className = "table chart-values-table";
    var head = table.createTHead().insertRow();
    values[0].forEach(function (name) {
      var cell = document.createElement("th");
      cell.scope = "col";
      cell.textContent = name;   // text, never markup
      head.appendChild(cell);
    });
    var body = table.createTBody();
    values.slice(1).forEach(function (row) {
      var line = body.insertRow();
      row.forEach(function (value) { line.insertCell().textContent = value; });
    });
    var holder = document.createElement("div");
    holder.className = "chart-values-scroll";
    holder.tabIndex = 0;   // a scrolling region is reachable by keyboard
    holder.setAttribute("role", "region");
    holder.setAttribute("aria-label", "Values plotted");
    holder.appendChild(table);
    var csv = values.map(function (row) { return row.map(csvCell).join(","); }).join("\n") + "\n";
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob(["\ufeff" + csv], { type: "text/csv;charset=utf-8" }));
    link.download = details.dataset.csvName || "chart.csv";
    link.textContent = "Download them as CSV";
    var note = document.createElement("p");
    note.appendChild(link);
    details.appendChild(note);
    details.appendChild(holder);
  }

  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".vega-chart"));
    charts.forEach(function (chart) {
      ["pointerenter", "touchstart", "focusin"].forEach(function (type) {
        chart.addEventListener(type, function () { makeInteractive(chart); }, { once: true, passive: true });
      });
    });
    if (charts.length && "IntersectionObserver" in window) {
      window.addEventListener("scroll", function () {
        var observer = new IntersectionObserver(function (entries) {
          entries.forEach(function (entry) {
            if (entry.isIntersecting) {
              observer.unobserve(entry.target);
              makeInteractive(entry.target);
            }
          });
        }, { rootMargin: "200px" });
        charts.forEach(function (chart) { observer.observe(chart); });
      }, { once: true, passive: true });
    }
    document.querySelectorAll("details.chart-data").forEach(function (details) {
      details.addEventListener("toggle", function () { if (details.open) showValues(details); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
