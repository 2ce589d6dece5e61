"""Command line.

    python -m gpuipo check-data [DATA_DIR]   validate the data package exactly as the loader does
                                             (gpuipo.contract.validation): every problem with file, row, column
    python -m gpuipo build site|pdf          build and publish the site or the PDF (gpuipo.build.driver)
"""
import sys
import time

from gpuipo.contract.loader import DATA_DIR
from gpuipo.contract.validation import DataValidationError, read_package


def check_data(data_dir=DATA_DIR) -> int:
    started = time.perf_counter()
    try:
        package = read_package(data_dir)
    except DataValidationError as error:
        print(error, file=sys.stderr)
        return 1
    rows = sum(len(table.raw) for table in package.tables.values())
    print(f"data package OK: {len(package.tables)} tables, {rows} rows valid in {time.perf_counter() - started:.2f} s")
    for note in package.notes:
        print(f"note: {note}")
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["check-data"] and len(argv) <= 2:
        return check_data(argv[1] if len(argv) > 1 else DATA_DIR)
    if argv[:1] == ["build"] and len(argv) == 2:
        from gpuipo.build.driver import main as build

        return build(argv[1])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
