// Draw every chart on the page with the vendored Vega runtime (no network needed).
// Each chart is a <div class="vega-chart"> followed by its spec in <script class="vega-spec">.
(function () {
  function draw() {
    document.querySelectorAll("script.vega-spec").forEach(function (script) {
      var target = document.getElementById(script.dataset.target);
      if (!target || target.dataset.drawn) return;
      target.dataset.drawn = "1";
      var spec = JSON.parse(script.textContent);
      vegaEmbed(target, spec, { actions: false, renderer: "svg" }).then(function (result) {
        var svg = target.querySelector("svg");
        if (svg) {
          svg.setAttribute("role", "img");
          svg.setAttribute("aria-label", target.getAttribute("aria-label") || "");
        }
      }).catch(function (error) {
        target.textContent = "This chart could not be drawn: " + error;
        console.error(error);
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
