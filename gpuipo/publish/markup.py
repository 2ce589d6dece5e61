"""MyST text and the only markup code writes: everything else a page shows from data is escaped here.

Everything displayed is parsed as MyST Markdown, which would run any role, directive, raw HTML or link
a string carried; so every string is escaped by `text()` and can only ever render as itself. `Markup`
values are the exceptions, built here: bold, citations of validated source ids, downloads of files in
the repository and inline code.
"""
from __future__ import annotations

import re
import string

from gpuipo.contract.schema import KEY_PATTERN
from gpuipo.contract.vocabulary import LOW_GRADE_MARK

# CommonMark makes any ASCII punctuation character literal when a backslash precedes it, and every
# MyST construct (roles, directives, targets, HTML, links, emphasis, tables) starts with one.
_PUNCTUATION = set(string.punctuation)


_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


RELATIVE_PATH = re.compile(r"(\.\./)*([A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*")


NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?([eE][+-]?[0-9]+)?%?")


NUMBER_SHOWN = re.compile(NUMBER.pattern + f"(\u00a0{LOW_GRADE_MARK})?")  # a table cell, perhaps marked low-authority


class Markup(str):
    """MyST markup written by this module, never by data."""


def text(value) -> str:
    """A value as inert MyST text: punctuation escaped, and every run of whitespace (line breaks
    included, which could open a block or an indented code block) other than a no-break space collapsed
    to one space."""
    if isinstance(value, Markup):
        return value
    # A no-break space (between a number and its mark, inside a date) is kept: it breaks no block.
    collapsed = re.sub(r"[^\S\u00a0]+", " ", str(value))
    return "".join("\\" + c if c in _PUNCTUATION else c for c in collapsed)


def md(*parts) -> str:
    """Join parts into MyST: Markup as written, anything else as text."""
    return "".join(text(part) for part in parts)


def strong(*parts) -> Markup:
    return Markup("**" + md(*parts) + "**")


def code(value) -> Markup:
    """Inline code: nothing inside a code span is parsed, and the fence outruns any backticks."""
    content = " ".join(str(value).split())
    fence = "`" * (max((len(run) for run in re.findall("`+", content)), default=0) + 1)
    return Markup(f"{fence} {content} {fence}")


def download(label: str, path: str) -> Markup:
    """A link that ships a repository file with the site; label and path must be plain file names."""
    if not _FILE_NAME.fullmatch(label) or not RELATIVE_PATH.fullmatch(path):
        raise ValueError(f"not a plain file name for a download: {label!r} <{path!r}>")
    return Markup(f"{{download}}`{label} <{path}>`")


def cite(source_ids) -> Markup:
    ids = sorted(dict.fromkeys(s for s in source_ids if isinstance(s, str) and s))
    for source_id in ids:
        if not re.fullmatch(KEY_PATTERN, source_id):
            raise ValueError(f"not a source id: {source_id!r}")
    return Markup("{cite:p}`" + ",".join(ids) + "`" if ids else "")


def sources_sentence(source_ids) -> str:
    citation = cite(source_ids)
    return md(" Sources: ", citation, ".") if citation else ""
