"""Write gpuipo/contract/required_facts.json: the rows the chapters look up, which make check-data requires.

Run after adding or changing a look-up in a chapter module: `python tools/write_required_facts.py`.
The old list is set aside while the chapters run (a look-up that was removed from both the data and a
chapter must not block its own removal) and put back if they fail.
"""
import needs
from gpuipo.contract import validation

if __name__ == "__main__":
    old = validation.REQUIRED_FACTS.read_text(encoding="utf-8")
    validation.REQUIRED_FACTS.write_text("[]\n", encoding="utf-8")
    try:
        found = needs.text(needs.recorded())
    except BaseException:
        validation.REQUIRED_FACTS.write_text(old, encoding="utf-8")
        raise
    validation.REQUIRED_FACTS.write_text(found, encoding="utf-8")
    print(f"wrote {validation.REQUIRED_FACTS}")
