"""`make lighthouse`: Lighthouse (mobile preset) on every page of the built site, served compressed from
localhost the way static hosts serve it, against the system Chromium and with no network.

Each page is audited three times and its median run (by performance) reported. Writes
_build/lighthouse/scores.md (a table of the scores, the paint times and the page weights) and one JSON
report per page, and exits non-zero when a page scores below the floors (issue 14): performance 90,
accessibility 100, best practices 95, SEO 95. The target for performance is 95 on every page.

    .venv/bin/python tools/lighthouse.py [--pages index chapters/02_biren ...]
    LIGHTHOUSE_MIN_PERFORMANCE=80 make lighthouse    # a lower performance floor, e.g. on a slow machine
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
OUT = ROOT / "_build" / "lighthouse"
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
FLOORS = {"performance": 90, "accessibility": 100, "best-practices": 95, "seo": 95}
# LIGHTHOUSE_MIN_PERFORMANCE lowers the performance floor for one run. CI keeps 90: when it was set, every
# page scored 93-96 in each of its three runs on a machine like CI's (a spread of about 3 points).
FLOORS["performance"] = int(os.environ.get("LIGHTHOUSE_MIN_PERFORMANCE", FLOORS["performance"]))
TARGET_PERFORMANCE = 95
COMPRESSED = {".html", ".js", ".css", ".json", ".svg", ".txt", ".xml", ".csv", ".map"}


class CompressingHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the browser accepts it, as static hosts do."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        return _Body(body)


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *args):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def toc_pages() -> list[str]:
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def audit(url: str, report: Path) -> dict:
    chrome = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chrome:
        sys.exit("make lighthouse needs Chromium (Debian: apt-get install chromium)")
    env = {**os.environ, "CHROME_PATH": chrome}
    subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                    "--only-categories=" + ",".join(FLOORS),
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"],
                   check=True, env=env, timeout=300)
    result = json.loads(report.read_text(encoding="utf-8"))
    audits = result["audits"]
    return {"scores": {name: round(100 * result["categories"][name]["score"]) for name in FLOORS},
            "fcp": audits["first-contentful-paint"]["numericValue"] / 1000,
            "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
            "weight_kb": audits["total-byte-weight"]["numericValue"] / 1024,
            "failing": sorted(a["id"] for a in audits.values()
                              if a.get("score") is not None and a["score"] < 0.9
                              and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings"))}


RUNS = 3   # per page; the median run (by performance) is reported: one run varies by up to ten points


def median_audit(url: str, report: Path) -> dict:
    runs = []
    for run in range(RUNS):
        measured = audit(url, report.with_suffix(f".{run}.json"))
        runs.append((measured["scores"]["performance"], run, measured))
    score, run, measured = sorted(runs)[len(runs) // 2]
    report.with_suffix(f".{run}.json").replace(report)
    for other in range(RUNS):
        report.with_suffix(f".{other}.json").unlink(missing_ok=True)
    return {**measured, "runs": sorted(performance for performance, _, _ in runs)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="*", help="pages to audit (default: every page of the table of contents)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: npm ci --prefix tools/lighthouse (make lighthouse does it)")
    if not (SITE / "index.html").exists():
        sys.exit("no site: run make book first")
    OUT.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(CompressingHandler, directory=str(SITE)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    rows, below = [], []
    try:
        for page in args.pages or toc_pages():
            measured = median_audit(f"http://127.0.0.1:{port}/{page}.html", OUT / (page.replace("/", "__") + ".json"))
            rows.append((page, measured))
            below += [f"{page}: {name} {score} < {FLOORS[name]}"
                      for name, score in measured["scores"].items() if score < FLOORS[name]]
            print(page, measured["scores"], f"FCP {measured['fcp']:.1f} s, LCP {measured['lcp']:.1f} s, "
                  f"{measured['weight_kb']:.0f} kB", flush=True)
    finally:
        server.shutdown()
    lines = ["| page | performance | runs | accessibility | best practices | SEO | FCP (s) | LCP (s) | weight (kB) "
             "| audits below 0.9 |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---|"]
    for page, m in rows:
        s = m["scores"]
        runs = "/".join(map(str, m["runs"]))
        lines.append(f"| {page} | {s['performance']} | {runs} | {s['accessibility']} | {s['best-practices']} | {s['seo']} | "
                     f"{m['fcp']:.1f} | {m['lcp']:.1f} | {m['weight_kb']:.0f} | {', '.join(m['failing'])} |")
    (OUT / "scores.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    short = [page for page, m in rows if m["scores"]["performance"] < TARGET_PERFORMANCE]
    if short:
        print(f"performance below the target of {TARGET_PERFORMANCE} on: {', '.join(short)}")
    if below:
        print("Below the floors:\n  " + "\n  ".join(below), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
