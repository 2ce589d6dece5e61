"""Re-execute the book's notebooks and keep only the outputs nbval checks.

Cells marked `# NBVAL_CHECK_OUTPUT` print the key figures of a chapter; their committed outputs are
what `make test` compares a fresh run against. All other outputs are cleared so the notebooks stay
small and diffs stay readable. Run after changing data or code on purpose:

    .venv/bin/python tools/refresh_outputs.py
"""
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
MARKER = "NBVAL_CHECK_OUTPUT"


def notebooks():
    return [ROOT / "index.ipynb", *sorted((ROOT / "chapters").glob("*.ipynb")), *sorted((ROOT / "appendix").glob("*.ipynb"))]


def refresh(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        # nbclient stamps each cell with the time it ran; a clock reading in a committed notebook only
        # makes every refresh a diff.
        cell.metadata.pop("execution", None)
        if MARKER in cell.source:
            cell.execution_count = 1  # nbval skips outputs of cells that look unrun
        else:
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


if __name__ == "__main__":
    for path in [Path(p).resolve() for p in sys.argv[1:]] or notebooks():
        print(f"refreshing {path.relative_to(ROOT)}")
        refresh(path)
