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

  function makeInteractive(chart) {
    if (chart.dataset.live) return;
    chart.dataset.live = "1";
    var spec = document.querySelector('script.vega-spec[data-target="' + chart.id + '"]');
    if (!spec) return;
    vegaRuntime().then(function () {
      var view = document.createElement("div");
      return vegaEmbed(view, JSON.parse(spec.textContent), { actions: false, renderer: "svg" }).then(function () {
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
