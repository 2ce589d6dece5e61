"""The theme's icon font cut down to the icons the site can show.

The theme draws its icons (search, menu, colour mode, the bell of an admonition, ...) from FontAwesome's
webfont, 157 kB compressed for some 1,400 glyphs. A phone fetches it while it paints the page, and
Lighthouse counts it against the first paint (about 0.9 s on its slow-4G model). After the build, each
webfont in the site is replaced by a subset holding
- the glyphs of the FontAwesome icon classes (`.fa-bell:before{content:...}`) that the pages and the
  theme's scripts name, and
- every glyph any other stylesheet rule can draw: the theme's own icon variables
  (`--pst-icon-bell:"..."`, drawn by admonitions, external links, ...) and any `content:` of ours.
"""
from __future__ import annotations

import re
from pathlib import Path

WEBFONTS = Path("_static/vendor/fontawesome/webfonts")
THEME_CSS = Path("_static/styles/pydata-sphinx-theme.css")
# The theme's script that turns every icon into SVG: no page loads it (_templates/layout.html).
UNUSED_SCRIPTS = ("_static/scripts/fontawesome.js", "_static/scripts/fontawesome.js.map",
                  "_static/scripts/fontawesome.js.LICENSE.txt")
ICON_RULE = re.compile(r'([^{}]+)\{content:"\\([0-9a-fA-F]+)"\}')
ICON_SELECTOR = re.compile(r"^\.(fa-[a-z0-9-]+):(?::)?before$")
ICON_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
CSS_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
# Icon fonts put their glyphs in Unicode's private use area; CSS writes them escaped or as they are.
PRIVATE_USE = re.compile(r"\\([eEfF][0-9a-fA-F]{3})(?![0-9a-fA-F])|([\ue000-\uf8ff])")


def icon_codepoints(css: str) -> dict[str, int]:
    """Each icon class (aliases included) and the code point its ::before content draws."""
    codepoints = {}
    for selectors, hexadecimal in ICON_RULE.findall(css):
        for selector in selectors.split(","):
            match = ICON_SELECTOR.match(selector.strip())
            if match:
                codepoints[match.group(1)] = int(hexadecimal, 16)
    return codepoints


def glyphs_drawn_by_stylesheets(site: Path) -> set[int]:
    """Private-use code points in any stylesheet rule of the site other than a FontAwesome icon-class rule."""
    codepoints = set()
    for sheet in site.joinpath("_static").rglob("*.css"):
        for selectors, body in CSS_RULE.findall(sheet.read_text(encoding="utf-8", errors="replace")):
            if all(ICON_SELECTOR.match(selector.strip()) for selector in selectors.split(",")):
                continue
            codepoints.update(int(escaped, 16) if escaped else ord(literal)
                              for escaped, literal in PRIVATE_USE.findall(body))
    return codepoints


def icons_named(site: Path) -> set[str]:
    """The icon classes the pages carry and the theme's scripts add (the colour-mode and close buttons)."""
    files = [*site.rglob("*.html"), *site.joinpath("_static").rglob("*.js")]
    names = set()
    for path in files:
        if "fontawesome" not in path.name:   # the full FontAwesome script names every icon there is
            names.update(ICON_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    return names


def subset_icon_fonts(site: Path) -> list[str]:
    """Subset every webfont of the theme in the built site to the icons it uses; return their names.
    Raises when no icon is found at all, which would mean the theme changed how it draws them."""
    from fontTools import subset

    css = site / THEME_CSS
    fonts = sorted((site / WEBFONTS).glob("fa-*")) if (site / WEBFONTS).is_dir() else []
    if not fonts:
        return []
    codepoints = icon_codepoints(css.read_text(encoding="utf-8"))
    named = {codepoints[name] for name in icons_named(site) if name in codepoints}
    if not named:
        raise RuntimeError(f"no FontAwesome icon found in {site} although {WEBFONTS} is there: "
                           f"has {THEME_CSS} changed its icon rules?")
    used = sorted(named | glyphs_drawn_by_stylesheets(site))
    for font in fonts:
        options = subset.Options()
        options.flavor = "woff2" if font.suffix == ".woff2" else None
        options.layout_features = []
        options.notdef_outline = True
        options.ignore_missing_unicodes = True   # a brands font has none of the solid icons
        face = subset.load_font(str(font), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=used)
        subsetter.subset(face)
        subset.save_font(face, str(font), options)
    for name in UNUSED_SCRIPTS:
        (site / name).unlink(missing_ok=True)
    return [font.name for font in fonts]
