"""Numbers in the book's prose must be glued from the data, never typed.

Scans the Markdown cells of every notebook and every .md page in the table of contents, and the strings
in the notebooks' code (titles, captions). Inside a sentence, a figure with a unit (%, percent, x/×, bn,
m, 亿, 万, HK$, RMB, CNY, US$) is an error unless it is a glue role; years, dates and section numbers are
allowed. A chart's description (what a screen reader says) is computed by the chart from its own data:
the text its code writes around those numbers holds no number but a year, and no fraction in words.
"""
import ast
import json
import re

import pytest
import yaml


from .site import ROOT, cells_text

pytestmark = [pytest.mark.data]

GLUE = re.compile(r"\{glue(:\w+)?\}`[^`]*`")
# Inline code only: a span that ran across lines would swallow the prose inside a fenced directive.
CODE = re.compile(r"`[^`\n]*`")
FIGURE = re.compile(
    r"(?:HK\$|US\$|RMB|CNY|US\$)\s*\d"          # currency before a number
    r"|\d[\d,.]*\s*(?:%|％|×|x\b|bn\b|billion|million|m\b|亿|万|trillion|percent|per cent)"  # number with a unit
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


NOTEBOOKS = [ROOT / "index.ipynb", *sorted((ROOT / "chapters").glob("*.ipynb")), *sorted((ROOT / "appendix").glob("*.ipynb"))]


def code_strings(source: str) -> list[str]:
    """The string literals of some code, f-strings' literal parts included."""
    return [node.value for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_typed_figures_in_the_notebooks_code(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    strings = [text for cell in cells if cell["cell_type"] == "code" for text in code_strings("".join(cell["source"]))]
    assert [hit for text in strings for hit in hard_typed(text)] == []


# A year, or a period named by its year (FY2024, H1 2025): dates, which prose may write out.
YEAR = re.compile(r"\b(?:FY|H1-?|Q[1-4]-?|9M-?)?(?:19|20)\d\d\b|\bH1\b")
FRACTION_WORDS = re.compile(r"\b(?<!first )(half|halves|third|thirds|quarters?|twice|double|triple|dozen|hundreds|thousands)\b",
                            re.I)


def description_literals() -> dict[str, list[str]]:
    """Per chapter module, the literal text of every chart description it writes (`description=` and the
    helpers that build one, named *_words)."""
    found = {}
    for path in sorted((ROOT / "gpuipo" / "chapters").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parts = []
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "description":
                parts += code_strings(ast.unparse(node.value))
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_words"):
                body = node.body[1:] if ast.get_docstring(node) else node.body
                parts += [text for statement in body for text in code_strings(ast.unparse(statement))]
        found[path.relative_to(ROOT).as_posix()] = parts
    return found


def test_chart_descriptions_type_no_number():
    typed = {module: [text for text in parts if re.search(r"\d", YEAR.sub("", text)) or FRACTION_WORDS.search(text)
                      or hard_typed(text)]
             for module, parts in description_literals().items()}
    assert {module: texts for module, texts in typed.items() if texts} == {}


def test_every_chart_computes_its_description():
    from gpuipo.chapters import aftermarket, biren, claims, hkmarket, pricing
    from gpuipo.contract.vocabulary import ARTICLE_DATE
    from gpuipo.facts import Facts

    charts = [getattr(module, name) for module in (pricing, biren, hkmarket, aftermarket, claims)
              for name in dir(module) if name.endswith("_chart") and callable(getattr(module, name))]
    assert len(charts) >= 18
    for chart in charts:
        description = chart(Facts(as_known_on=ARTICLE_DATE) if chart.__module__.endswith(("pricing", "biren")) else Facts())
        assert len(description.to_dict().get("description", "")) > 40, chart.__name__


def test_the_description_detector_catches_typed_words():
    assert [t for t in ["falls to about a third", "ends near 125", "in 2024"]
            if re.search(r"\d", YEAR.sub("", t)) or FRACTION_WORDS.search(t)] == ["falls to about a third", "ends near 125"]
