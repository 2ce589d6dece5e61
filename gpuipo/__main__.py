"""Command line: `python -m gpuipo check-data [DATA_DIR]` validates the data package."""
import sys
import time

from .data import DATA_DIR, DataValidationError, validate


def check_data(data_dir=DATA_DIR) -> int:
    started = time.perf_counter()
    try:
        descriptor = validate(data_dir, trust_stamp=False)
    except DataValidationError as error:
        print(error, file=sys.stderr)
        return 1
    tables = len(descriptor["resources"])
    print(f"data package OK: {tables} tables valid in {time.perf_counter() - started:.1f} s")
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] != "check-data":
        print("usage: python -m gpuipo check-data [DATA_DIR]", file=sys.stderr)
        return 2
    return check_data(argv[1] if len(argv) > 1 else DATA_DIR)


if __name__ == "__main__":
    sys.exit(main())
