"""What the PDF can print: the characters its fonts draw, and the longest word a line holds.

XeLaTeX prints a character its fonts lack as nothing (and only says so in its log), and dies, far into a
long table, on a word too long to break. The data contract refuses both before any build, naming the file,
row and column (gpuipo.contract.validation). The fonts are read from the PDF's own settings in _config.yml (its
\\setmainfont and \\setCJKmainfont lines), so the check follows any change of font.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from gpuipo.contract.vocabulary import CHINESE_RUN, PRINT_LINE
from gpuipo.paths import CONFIG

# Data text is printed in the main (serif) family, upright, bold (table headers) and italic (titles in the
# bibliography), and in the main Chinese family, upright and bold.
LATIN_STYLES = {"regular": "", "bold": ":weight=bold", "italic": ":slant=italic"}
SPACE_OR_CHINESE = re.compile(rf"\s+|{CHINESE_RUN}")


@dataclass(frozen=True)
class Face:
    name: str          # as a reader would say it, e.g. "FreeSerif bold"
    file: str
    index: int = 0     # the face within a font collection (.ttc)
    chinese: bool = False


def _latex_settings(config: Path) -> str:
    elements = yaml.safe_load(config.read_text(encoding="utf-8"))["sphinx"]["config"]["latex_elements"]
    return elements.get("fontpkg", "") + "\n" + elements.get("preamble", "")


def _run(*command) -> str:
    return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout


def pdf_faces(config: Path = CONFIG) -> tuple[list[Face], list[str]]:
    """The installed faces the PDF prints data text in, and the ones it names that are not installed."""
    settings = _latex_settings(config)
    faces, missing = [], []
    main = re.search(r"\\setmainfont\{([^}]+)\}", settings)
    chinese = re.search(r"\\setCJKmainfont\{([^}]+)\}(?:\[([^\]]*)\])?", settings)
    if not shutil.which("fc-match"):
        return [], ["the font tools (fontconfig's fc-match)"]
    if main:
        family = main.group(1).strip()
        for style, pattern in LATIN_STYLES.items():
            found = _run("fc-match", "-f", "%{family}\t%{file}", family + pattern).split("\t")
            if len(found) == 2 and family in found[0].split(","):
                faces.append(Face(f"{family} {style}", found[1]))
            else:
                missing.append(f"{family} {style}")
    if chinese:
        options = chinese.group(2) or ""
        index = re.match(r"\s*FontIndex=(\d+)", options)
        bold = re.search(r"BoldFont=([^,\]]+)", options)
        bold_index = re.search(r"BoldFeatures=\{FontIndex=(\d+)\}", options)
        listed = {Path(line).name: line for line in _run("fc-list", "-f", "%{file}\n").splitlines()}
        for style, name, number in (("regular", chinese.group(1), index), ("bold", bold and bold.group(1), bold_index)):
            if not name:
                continue
            name = name.strip()
            if name in listed:
                faces.append(Face(Path(name).stem, listed[name], int(number.group(1)) if number else 0, chinese=True))
            else:
                missing.append(name)
    return faces, missing


@lru_cache(maxsize=4)
def coverage(config: Path = CONFIG) -> tuple[frozenset | None, frozenset | None, str]:
    """(characters every Latin face draws, characters every Chinese face draws, a note): None when the
    PDF's fonts are not installed here (the note says which), so no glyph can be checked."""
    from fontTools.ttLib import TTFont

    faces, missing = pdf_faces(config)
    if missing or not faces:
        return None, None, f"not installed: {', '.join(missing) or 'the PDF fonts'}"
    latin, chinese = None, None
    for face in faces:
        codes = frozenset(TTFont(face.file, fontNumber=face.index, lazy=True).getBestCmap())
        if face.chinese:
            chinese = codes if chinese is None else chinese & codes
        else:
            latin = codes if latin is None else latin & codes
    return latin or frozenset(), chinese or frozenset(), ", ".join(face.name for face in faces)


def undrawable(text: str, latin: frozenset, chinese: frozenset) -> list[str]:
    """The characters of `text` that neither the Latin nor the Chinese faces draw (space aside)."""
    return sorted({c for c in text if not c.isspace() and ord(c) not in latin and ord(c) not in chinese})


def longest_word(text: str) -> str:
    """The longest run of characters a line cannot break: no space, and no Chinese character (print may
    break between any two of those)."""
    return max(SPACE_OR_CHINESE.split(text), key=len, default="")


def too_long(text: str) -> str | None:
    word = longest_word(text)
    if len(word) > PRINT_LINE:
        return (f"has a word of {len(word)} characters ({word[:20]}…), longer than a printed line "
                f"({PRINT_LINE}): the PDF cannot break it; add spaces")
    return None
