"""What the chapters need from the data: every single-row fact their computations look up.

`recorded()` runs every public computation of the chapter modules (each function taking only the
Facts) against the committed data and lists the rows `Facts.row` served. tools/write_required_facts.py
writes that list to gpuipo/contract/required_facts.json, which the validator checks before any build, so a
deleted or renamed row is refused by `make check-data` with its file and key instead of failing
half-way through a chapter. tests/test_data_package.py keeps the file equal to what is recorded.
"""
from __future__ import annotations

import inspect
import json

from gpuipo.chapters import aftermarket
from gpuipo.chapters import biren
from gpuipo.chapters import claims
from gpuipo.chapters import hkmarket
from gpuipo.chapters import pricing
from gpuipo.facts import Facts

CHAPTER_MODULES = (pricing, biren, hkmarket, aftermarket, claims)


def computations():
    for module in CHAPTER_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if ((function.__module__ + ".").startswith(module.__name__ + ".") and not name.startswith("_")
                    and list(inspect.signature(function).parameters) == ["f"]):
                yield function


def recorded(facts: Facts | None = None) -> list[dict]:
    facts = facts or Facts()
    for computation in computations():
        computation(facts)
    return [{"table": table, "key": dict(key), "used_by": sorted(m.removeprefix("gpuipo.") for m in modules)}
            for (table, key), modules in sorted(facts.reads.items())]


def text(facts: list[dict]) -> str:
    return json.dumps(facts, ensure_ascii=False, indent=1) + "\n"
