"""Write gpuipo/required_facts.json: the rows the chapters look up, which make check-data requires.

Run after adding or changing a look-up in a chapter module: `python tools/write_required_facts.py`.
"""
from gpuipo import needs, validation

if __name__ == "__main__":
    validation.REQUIRED_FACTS.write_text(needs.text(needs.recorded()), encoding="utf-8")
    print(f"wrote {validation.REQUIRED_FACTS}")
