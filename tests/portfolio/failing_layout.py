"""Stands in for `python -m portfolio.export.layout` in tests: ends with its parent as that does,
then fails at once, or with FAILING_LAYOUT=quiet says nothing and waits."""

import os
import sys
import time

from portfolio.export.layout import _end_with_parent

if __name__ == "__main__":
    _end_with_parent(int(sys.argv[3]))
    if os.environ.get("FAILING_LAYOUT") == "quiet":
        time.sleep(120)
    sys.exit("The layout failed, on purpose.")
