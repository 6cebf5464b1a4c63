"""Stands in for portfolio.export.layout in tests (its `main`, or `python -m`): ends with its
parent as that does, then fails at once, or with FAILING_LAYOUT=quiet says nothing and waits."""

import os
import sys
import time

from portfolio.export.layout import _end_with_parent


def main(folder: str, name: str, parent: str) -> None:
    _end_with_parent(int(parent))
    if os.environ.get("FAILING_LAYOUT") == "quiet":
        time.sleep(120)
    sys.exit("The layout failed, on purpose.")


if __name__ == "__main__":
    main(*sys.argv[1:])
