"""A process forked from this one to run `module.main(*args)`, talked to through pipes as a
`subprocess.Popen` is (the part of its interface portfolio.export.pdf uses: stdin, stdout, poll,
wait, kill, returncode).

Why forked rather than a new interpreter: the worker has WeasyPrint imported already, and a new
`python -m` spends about 0.45 s of processor time starting up and importing it again, three times
an export on a two-processor machine (bench/README.md). A Celery prefork pool process may fork (it
may not start `multiprocessing` children, which are daemonic there). The child only lays out and
draws a PDF from files and pipes: it touches none of the worker's connections, and ends with
`os._exit`, so it neither closes them for the parent nor runs the parent's exit handlers.
"""

import contextlib
import gc
import importlib
import io
import os
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path


class Forked:
    def __init__(self, module: str, args: list[str], *, stderr):
        stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        errors = stderr.fileno()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(module, args, stdin_read, stdout_write, errors)
        os.close(stdin_read)
        os.close(stdout_write)
        self.pid, self.returncode = pid, None
        self.stdin = open(stdin_write, "wb")  # noqa: SIM115 (closed by the caller, as Popen's are)
        self.stdout = open(stdout_read, "rb", buffering=0)  # noqa: SIM115

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(f"layout process {self.pid}", timeout)
            time.sleep(0.005)
        return self.returncode

    def kill(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)


def _child(module: str, args: list[str], stdin: int, stdout: int, errors: int) -> None:
    code = 1
    try:
        # The worker's own objects stay as they are: without this, each of the child's garbage
        # collections walks all of them (a Django worker's hundreds of thousands), copying the
        # pages it touches.
        gc.freeze()
        os.dup2(stdin, 0)
        os.dup2(stdout, 1)
        os.dup2(errors, 2)
        # Every other descriptor inherited from the worker goes: a sibling's pipe left open here
        # would keep that sibling from seeing its stdin close.
        if Path("/proc/self/fd").is_dir():
            for name in os.listdir("/proc/self/fd"):
                if int(name) > 2:
                    with contextlib.suppress(OSError):
                        os.close(int(name))
        else:
            os.closerange(3, 4096)
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r"), encoding="utf-8")
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w"), encoding="utf-8")
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w"), encoding="utf-8", write_through=True)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the worker's handlers
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        importlib.import_module(module).main(*args)
        code = 0
    except SystemExit as exit:
        if isinstance(exit.code, int) or exit.code is None:
            code = exit.code or 0
        else:
            print(exit.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 (whatever it was, it is said in the part's log)
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
