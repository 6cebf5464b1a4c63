"""Slow data (the demo: 4 to 10 seconds a seed on PostgreSQL) built once for the tests of a module
that read it, instead of once per test.

A module-scoped fixture builds it inside `shared_by_the_module`: a transaction that is rolled back
when the module's last test is done. Each test runs in a savepoint inside it (pytest-django's
`django_db`), so what one test changes (seeding again, signing in) is undone before the next, and
the tests after the module find the database as it was.

A module-scoped fixture lives from the first test that asks for it to the end of the module, so use
one only where every test of the module may see the data, whatever order they run in.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings

from programme import demo


@contextmanager
def shared_by_the_module(django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def seed_demo(participants: int = demo.DEFAULT_PARTICIPANTS) -> str:
    """Runs `manage.py seed_demo` and returns what it printed."""
    out = io.StringIO()
    with override_settings(DEBUG=True):  # the demo command refuses to run otherwise
        call_command("seed_demo", participants=participants, stdout=out)
    return out.getvalue()
