"""Each page's head and scripts: its description and preview card, deferred scripts, no Thebe and no
FontAwesome script (_templates/layout.html), the address the site is served from, and the static files
the pages load (the vendored Vega runtime above all: without it no chart draws, and nothing else would
notice)."""
from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError

from gpuipo.extension.marks import ancestors
from gpuipo.publish import ledger_path, preview_image

# Loaded by _static/charts.js on pages with charts, in this order.
VEGA_RUNTIME = ["vega/vega.min.js", "vega/vega-lite.min.js", "vega/vega-embed.min.js"]


DESCRIPTION_LENGTH = 200   # characters: what search results and preview cards show


def page_description(doctree) -> str:
    """A page's description for search results and preview cards: its opening paragraph of prose (the
    first of at least a hundred characters outside tables, figures, captions and notes, and not itself a
    caption: those open in bold), cut at a word."""
    for paragraph in doctree.findall(nodes.paragraph):
        opening = next((c for c in paragraph.children if not (isinstance(c, nodes.Text) and not c.strip())), None)
        if isinstance(opening, nodes.strong):
            continue
        if any(isinstance(a, (nodes.table, nodes.figure, nodes.caption, nodes.Admonition, nodes.citation,
                              nodes.field_list, nodes.bullet_list)) for a in ancestors(paragraph)):
            continue
        text = " ".join(paragraph.astext().split())
        if len(text) >= 100:
            return text if len(text) <= DESCRIPTION_LENGTH else text[:DESCRIPTION_LENGTH].rsplit(" ", 1)[0] + " …"
    return ""


def own_preview(app, page: str) -> dict | None:
    """The preview image a page's chapter chose (publish.show_chart(..., preview=True)), from its ledger."""
    ledger = ledger_path(Path(app.srcdir) / "_build" / "generated", page)
    preview = json.loads(ledger.read_text(encoding="utf-8")).get("preview") if ledger.is_file() else None
    if preview and preview.get("image") != preview_image(page):
        raise ExtensionError(f"the ledger of {page} names the preview image {preview.get('image')!r}, "
                             f"not {preview_image(page)!r}")
    return preview


def page_preview(app, pagename: str) -> dict | None:
    """A page's preview image: its own, or (an appendix) the front page's."""
    return own_preview(app, pagename) or own_preview(app, "index")


def as_attribute_text(words: str) -> str:
    """Text for sphinxext-opengraph, which writes it into an attribute escaping only the double quote: a
    page's opening words can hold data text, so &, < and > are escaped here (the quote is left to it)."""
    return html.escape(words, quote=False)


def describe_page(app, pagename, templatename, context, doctree):
    """A meta description and the preview card's description, from the page's opening paragraph; the
    preview card's image, the page's own headline chart where it has one."""
    if doctree is None:
        return
    description = page_description(doctree)
    meta = context["meta"] = dict(context.get("meta") or {})
    preview = page_preview(app, pagename)
    if preview:
        meta.update({"og:image": preview["image"], "og:image:alt": as_attribute_text(preview["alt"])})
    if description:
        meta["og:description"] = as_attribute_text(description)
        context["metatags"] = (context.get("metatags") or "") + (
            f'<meta name="description" content="{html.escape(description, quote=True)}" />\n')


def defer_scripts(app, pagename, templatename, context, doctree):
    """Script files run after the page is parsed (`defer`, which keeps their order), so none delays the
    first paint on a phone. No inline script of a page reads what they define; the theme's search scripts,
    written into its template after these and needing Sphinx's three, are deferred there too
    (_templates/layout.html), so the order holds."""
    from sphinx.builders.html._assets import _JavaScript

    scripts = []
    for script in context.get("script_files", []):
        if isinstance(script, _JavaScript) and script.filename and "async" not in script.attributes:
            script = _JavaScript(script.filename, priority=script.priority, **{**script.attributes, "defer": "defer"})
        scripts.append(script)
    context["script_files"] = scripts


ICON_SCRIPT = re.compile(r'\s*<script\b[^>]*\bsrc="[^"]*/fontawesome\.js[^"]*"[^>]*>\s*</script>')


def without_icon_script(head: str) -> str:
    """The theme's head without its FontAwesome script. Fails when the script is not there to remove, so a
    theme upgrade that moves it cannot silently bring back half a megabyte on every page."""
    from markupsafe import Markup

    stripped, removed = ICON_SCRIPT.subn("", str(head))
    if removed != 1:
        raise ExtensionError("the theme's head no longer loads fontawesome.js as _templates/layout.html "
                             f"expects ({removed} found): check the theme's webpack-macros.html")
    return Markup(stripped)


# A <script> with a src and neither a defer nor an async attribute (names, not words inside a value).
BLOCKING_SCRIPT = re.compile(r'<script(?![^>]*\s(?:defer|async)(?=[\s=>]))([^>]*\ssrc="[^"]+"[^>]*)>')


def with_deferred_scripts(markup: str) -> str:
    """Every external script in the markup deferred (inline ones cannot be, and are left as they are)."""
    from markupsafe import Markup

    return Markup(BLOCKING_SCRIPT.sub(r"<script defer\1>", str(markup)))


def register_template_filters(app):
    if hasattr(app.builder, "templates"):
        filters = app.builder.templates.environment.filters
        filters["without_icon_script"] = without_icon_script
        filters["with_deferred_scripts"] = with_deferred_scripts


def base_url(app, config):
    """The address the site is served from (GPUIPO_BASE_URL overrides _config.yml), for the sitemap, the
    canonical links and the preview cards."""
    url = os.environ.get("GPUIPO_BASE_URL", "").strip() or config.html_baseurl
    if not re.fullmatch(r"https?://[^\s\"'<>]+", url):
        raise ExtensionError(f"GPUIPO_BASE_URL must be an http(s) address, not {url!r}")
    config.html_baseurl = config.ogp_site_url = url.rstrip("/") + "/"


def deferred_scripts_only(app, config):
    """Jupyter Book adds every .js file under _static to every page as a blocking script: the Vega
    runtime too (which charts.js loads only when needed), and ours a second time without `defer`.
    Keep the scripts _config.yml lists, as it lists them."""
    listed = {entry[0] for entry in config.html_js_files if isinstance(entry, (list, tuple))}
    config.html_js_files = [entry for entry in config.html_js_files
                            if isinstance(entry, (list, tuple)) or (entry not in listed and entry not in VEGA_RUNTIME)]


def require_static_files(app):
    if app.builder.format != "html":
        return
    static = Path(app.confdir) / "_static"
    listed = [entry[0] if isinstance(entry, (list, tuple)) else entry
              for entry in list(app.config.html_js_files) + list(app.config.html_css_files)] + VEGA_RUNTIME
    missing = [name for name in listed if "://" not in str(name) and not (static / name).is_file()]
    empty = [name for name in listed if (static / name).is_file() and not (static / name).stat().st_size]
    if missing or empty:
        raise ExtensionError(f"_static/ lacks {', '.join(missing + empty)}, which the pages load (the vendored Vega "
                             "runtime makes the charts interactive offline): restore it, e.g. git checkout -- _static")


def drop_thebe(app, pagename, templatename, context, doctree):
    # Jupyter Book always loads sphinx-thebe; the book has no live kernels, and its inline config is
    # emitted twice ("THEBE_JS_URL has already been declared") and names a CDN.
    scripts = context.get("script_files", [])
    context["script_files"] = [
        js for js in scripts
        if "thebe" not in str(getattr(js, "filename", js) or "")
        and "THEBE" not in str(getattr(js, "attributes", {}).get("body", ""))
    ]
