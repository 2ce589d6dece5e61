"""Write data/datapackage.json from the Table Schemas in gpuipo/contract/schema.py.

Edit the schemas there, then run `python tools/write_datapackage.py`. The validator (make check-data)
refuses a datapackage.json that differs from what this writes.
"""
from pathlib import Path

from gpuipo.contract import schema

if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "data" / "datapackage.json"
    out.write_text(schema.text(schema.descriptor()), encoding="utf-8")
    print(f"wrote {out}")
