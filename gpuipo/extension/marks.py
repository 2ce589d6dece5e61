"""What the doctree gains before it is written: the glue key on every pasted value, the low-authority
mark after values resting only on grade C or D sources, minus signs, and Chinese runs marked for the
site's language and print's line breaking."""
from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from myst_nb.ext.glue.roles import PasteTextRole
from sphinx.transforms.post_transforms import SphinxPostTransform

from gpuipo.contract.vocabulary import CHINESE_RUN


class KeyedPasteText(PasteTextRole):
    """myst-nb's {glue:text} role, keeping the glue key on the node it makes, so that a value resting only
    on grade C or D sources can be marked where it is printed (MarkLowAuthority)."""

    def run(self):
        made, messages = super().run()
        key, _, form = self.text.rsplit("::", 1)[-1].partition(":")
        for node in made:
            # The page as well: the LaTeX builder post-transforms one merged document, named after the root.
            node["glue_key"], node["glue_page"], node["glue_format"] = key, self.document.settings.env.docname, form
        return made, messages


def record_printed_values(app, doctree):
    """What the page prints of its glued values, in order: (key, format, inside a hindsight note: an
    admonition of class "hindsight"), read from the parsed page, where the role above marked every pasted
    value. key_figures.csv is written from it (gpuipo.publish.keyfigures)."""
    printed = []
    for node in doctree.findall(nodes.Element):
        if "glue_key" in node.attributes:
            in_note = any(isinstance(a, nodes.admonition) and "hindsight" in a["classes"] for a in ancestors(node))
            printed.append((node["glue_key"], node["glue_format"], in_note))
    app.env.gpuipo_printed[app.env.docname] = printed


def start_printed_values(app):
    if not hasattr(app.env, "gpuipo_printed"):
        app.env.gpuipo_printed = {}


def forget_printed_values(app, env, docname):
    getattr(env, "gpuipo_printed", {}).pop(docname, None)


def merge_printed_values(app, env, docnames, other):
    env.gpuipo_printed.update({name: other.gpuipo_printed[name] for name in docnames if name in other.gpuipo_printed})


class MarkLowAuthority(SphinxPostTransform):
    """Put the low-authority mark after every printed value whose sources are all of grade C or D."""

    default_priority = 4  # before myst-nb resolves cross-page glue (5), while the pending nodes name their key

    def apply(self, **kwargs):
        from myst_nb.ext.glue.utils import PendingGlueReference

        from gpuipo.contract.vocabulary import LOW_GRADE_MARK
        from gpuipo.publish.keyfigures import low_authority_keys

        weak = low_authority_keys(Path(self.env.srcdir))
        for node in list(self.document.findall(nodes.Element)):
            if isinstance(node, PendingGlueReference):
                page, key = node.refdoc, node.key
            elif "glue_key" in node.attributes:
                page, key = node["glue_page"], node["glue_key"]
            else:
                continue
            if key in weak.get(page, ()):
                node.parent.insert(node.parent.index(node) + 1,
                                   nodes.superscript(LOW_GRADE_MARK, LOW_GRADE_MARK, classes=["low-authority"]))


class MinusSigns(SphinxPostTransform):
    """A negative number's sign is the minus sign (U+2212), not a hyphen: it reads as one, and neither a
    browser nor TeX breaks a line between it and its digits, as they do after a hyphen. Glued values are
    formatted by Python, which writes a hyphen; code and addresses are left as they are."""

    default_priority = 900  # after every glued value is in place
    NEGATIVE = re.compile(r"(?<![\w\-\u2212/.])-(?=\d)")

    def apply(self, **kwargs):
        for text in prose_texts(self.document):
            if "-" not in text or any(isinstance(a, nodes.reference) and a.get("refuri", "").startswith("http")
                                      for a in ancestors(text)):
                continue
            changed = self.NEGATIVE.sub("\u2212", str(text))
            if changed != str(text):
                text.parent.replace(text, nodes.Text(changed))


class ChineseText(nodes.inline):
    """A run of Chinese characters, which the site marks lang="zh-Hans" (for screen readers' voice and
    the browser's choice of font). Print sets them with xeCJK, which may break between any two
    characters: a name (a short run) is kept on one line there, as the site's CSS keeps it, so a narrow
    table column no longer prints 沐 on one line and 曦股份 on the next."""

    NAME_LENGTH = 8   # longer runs are text, which may break


def visit_chinese_latex(self, node):
    if node.get("unbroken"):
        self.body.append(r"\mbox{")


def depart_chinese_latex(self, node):
    if node.get("unbroken"):
        self.body.append("}")


def visit_chinese_html(self, node):
    self.body.append(self.starttag(node, "span", "", lang="zh-Hans"))


def depart_chinese_html(self, node):
    self.body.append("</span>")


def skip_node(self, node):
    pass


class MarkChinese(SphinxPostTransform):
    """Wrap each run of Chinese characters (and their punctuation) in the text in a ChineseText node."""

    default_priority = 950   # after every glued value is in place
    formats = ("html", "latex")
    RUN = re.compile(CHINESE_RUN)

    def apply(self, **kwargs):
        for text in prose_texts(self.document):
            if not self.RUN.search(str(text)) or isinstance(text.parent, ChineseText):
                continue
            pieces, at = [], 0
            for run in self.RUN.finditer(str(text)):
                if run.start() > at:
                    pieces.append(nodes.Text(str(text)[at:run.start()]))
                # Not in a heading or caption, whose text LaTeX also writes to bookmarks and lists.
                unbroken = len(run.group()) <= ChineseText.NAME_LENGTH and not any(
                    isinstance(a, (nodes.title, nodes.caption, nodes.rubric)) for a in ancestors(text))
                pieces.append(ChineseText("", run.group(), unbroken=unbroken))
                at = run.end()
            if at < len(str(text)):
                pieces.append(nodes.Text(str(text)[at:]))
            text.parent.replace(text, pieces)


def prose_texts(document) -> list:
    """The document's text nodes, code and raw markup aside (a list: the transforms replace them)."""
    return [text for text in document.findall(nodes.Text)
            if not isinstance(text.parent, (nodes.literal, nodes.literal_block, nodes.raw))]


def ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node
