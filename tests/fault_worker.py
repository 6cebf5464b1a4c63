"""A real Celery worker that stops dead at one named point, for tests/test_celery_faults.py.

Run as `python -m tests.fault_worker` with FAULT_AT=`module:Owner.function` (or `module:function`)
and FAULT_REACHED=a file path. The worker runs as usual until the named function is called for the
(FAULT_SKIP + 1)-th time; then, instead of that call, it writes the file and waits for ever. The
test sees the file, kills the process with SIGKILL, and starts a plain worker: a deterministic
"worker died in the middle of this task", with no sleeping and no timing.
"""

import importlib
import os
import sys
import threading
from pathlib import Path


def _install(target: str, reached: Path, skip: int) -> None:
    module_name, _, path = target.partition(":")
    owner = importlib.import_module(module_name)
    *parents, attribute = path.split(".")
    for part in parents:
        owner = getattr(owner, part)
    original = getattr(owner, attribute)
    calls = {"n": 0}

    def stop_here(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= skip:
            return original(*args, **kwargs)
        reached.write_text(target)
        threading.Event().wait()  # until the test kills this process
        return None  # never reached

    setattr(owner, attribute, stop_here)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtl_portal.settings.test")
    import django

    django.setup()
    _install(os.environ["FAULT_AT"], Path(os.environ["FAULT_REACHED"]), int(os.environ.get("FAULT_SKIP", "0")))
    from celery.__main__ import main as celery_main

    sys.argv = ["celery", "-A", "mtl_portal", "worker", "--pool=solo", "-l", "warning"]
    celery_main()


if __name__ == "__main__":
    main()
