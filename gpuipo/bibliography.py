"""BibTeX for the book, generated from data/sources.csv (the one source registry)."""
from __future__ import annotations

import re
from urllib.parse import quote

import pandas as pd

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _escape(text: str) -> str:
    # Field values are read as LaTeX: braces would unbalance them and % would start a comment.
    text = re.sub(r"[{}]", "", str(text))
    return text.replace("%", r"\%")


def entry(row: pd.Series) -> str:
    # Double braces keep BibTeX styles from lower-casing titles and splitting publisher names.
    fields = {"title": "{" + _escape(row["title"]) + "}", "author": "{" + _escape(row["publisher"]) + "}"}
    published = row["published"] if isinstance(row["published"], str) else ""
    if published:
        fields["year"] = published[:4]
        if len(published) >= 7:
            fields["month"] = MONTHS[int(published[5:7]) - 1]
    if isinstance(row["url"], str) and row["url"]:
        # Percent-encode non-ASCII characters: the same address, and LaTeX's \url cannot set CJK glyphs.
        fields["url"] = quote(row["url"], safe=":/?&=%#+,;@!$'()*~[]")
    fields["note"] = f"Kind: {row['kind'].replace('-', ' ')}." + (
        f" {row['note']}" if isinstance(row["note"], str) and row["note"] else "")
    body = ",\n".join(
        f"  {key} = {{{value if key in ('author', 'title', 'url') else _escape(value)}}}" for key, value in fields.items())
    return f"@misc{{{row['source_id']},\n{body}\n}}\n"


def bibtex(sources: pd.DataFrame) -> str:
    return "\n".join(entry(row) for _, row in sources.iterrows())
