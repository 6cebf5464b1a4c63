"""A real Celery worker that stops dead at one named point, for tests/test_celery_faults.py.

Run as `python -m tests.fault_worker` with FAULT_AT=`module:Owner.function` (or `module:function`)
and FAULT_REACHED=a file path. The worker runs as usual until the named function is called for the
(FAULT_SKIP + 1)-th time; then, instead of that call, it writes the file and waits for ever. The
test sees the file, kills the process with SIGKILL, and starts a plain worker: a deterministic
"worker died in the middle of this task", with no sleeping and no timing.

With FAULT_POOL=prefork the worker runs its tasks in a pool process, as production does, and the
file holds that process's id, for the test to kill it alone (as the out-of-memory killer would).
The worker itself lives on and starts a new pool process; the point stops only the first process
that reaches it (the file already exists for the next), so the task given back runs to the end.
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
        if calls["n"] <= skip or reached.exists():
            return original(*args, **kwargs)
        written = reached.with_name(reached.name + ".part")  # whole, or not there at all
        written.write_text(str(os.getpid()))
        written.rename(reached)
        threading.Event().wait()  # until the test kills this process
        return None  # never reached

    setattr(owner, attribute, stop_here)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtl_portal.settings.test")
    import django

    django.setup()
    _install(os.environ["FAULT_AT"], Path(os.environ["FAULT_REACHED"]), int(os.environ.get("FAULT_SKIP", "0")))
    from celery.__main__ import main as celery_main

    pool = os.environ.get("FAULT_POOL", "solo")
    sys.argv = ["celery", "-A", "mtl_portal", "worker", f"--pool={pool}", "--concurrency=1", "-l", "warning"]
    celery_main()


if __name__ == "__main__":
    main()
