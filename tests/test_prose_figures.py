"""Numbers in the book's prose must be glued from the data, never typed.

Scans the Markdown cells of every notebook and every .md page in the table of contents. Inside a
sentence, a figure with a unit (%, x/×, bn, m, 亿, 万, HK$, RMB, CNY, US$) is an error unless it is
a glue role; years, dates and section numbers are allowed.
"""
import re

import pytest
import yaml


from .site import ROOT, cells_text

GLUE = re.compile(r"\{glue(:\w+)?\}`[^`]*`")
# Inline code only: a span that ran across lines would swallow the prose inside a fenced directive.
CODE = re.compile(r"`[^`\n]*`")
FIGURE = re.compile(
    r"(?:HK\$|US\$|RMB|CNY|US\$)\s*\d"          # currency before a number
    r"|\d[\d,.]*\s*(?:%|％|×|x\b|bn\b|billion|million|m\b|亿|万|trillion)"  # number with a unit
)


def pages():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    for name in files:
        for suffix in (".ipynb", ".md"):
            if (ROOT / f"{name}{suffix}").exists():
                yield ROOT / f"{name}{suffix}"


def prose(path):
    if path.suffix == ".md":
        return path.read_text(encoding="utf-8")
    return cells_text(path)


def hard_typed(text):
    stripped = CODE.sub(" ", GLUE.sub(" ", text))
    return [m.group(0) for m in FIGURE.finditer(stripped)]


@pytest.mark.parametrize("path", list(pages()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_hand_typed_figures(path):
    assert hard_typed(prose(path)) == []


def test_detector_catches_typed_figures():
    assert hard_typed("Revenue rose to 3.37亿 and margin to 31.9%.") == ["3.37亿", "31.9%"]
    assert hard_typed("It raised HK$ 5.58 billion.") != []
    assert hard_typed("Up 29.5x since 2023.") == ["29.5x"]
    assert hard_typed("Revenue rose {glue:text}`rev:,.0f` times in 2024, see section 3.2.") == []
    assert hard_typed("Listed on 2 January 2026 (chapter 4).") == []
    assert hard_typed("```{glossary}\nTerm\n  It is 10 亿 (see `x.csv`).\n```") == ["10 亿"]
