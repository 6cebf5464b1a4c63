import importlib
import json

import pytest
from django.apps import apps as django_apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from pytest_django.fixtures import validate_django_db
from pytest_django.plugin import blocking_manager_key

from tests.run_cache import clear_this_run

_programme_seed = importlib.import_module("programme.migrations.0002_seed_programme")
_seeded_rows: list[str] = []


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test finds the rows the data migrations seed, whatever an earlier test or run did.

    They hold the programme's structure (phases, content areas, standards) and Wagtail's root page,
    site and locale. A transactional test (the Celery worker's, the browser tests) ends by flushing
    every table, and with --reuse-db a later run applies no migration to bring them back.
    """
    with django_db_blocker.unblock():
        _programme_seed.seed(django_apps, None)  # idempotent; repairs a database an older run flushed
        rows = json.loads(connection.creation.serialize_db_to_string())
    # Content types first: some models (Wagtail's tasks) look theirs up while being built.
    content_types = [row for row in rows if row["model"] == "contenttypes.contenttype"]
    others = [row for row in rows if row["model"] != "contenttypes.contenttype"]
    _seeded_rows[:] = [json.dumps(content_types), json.dumps(others)]


def _flushes_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool(marker and validate_django_db(marker)[0]) or bool({"transactional_db", "live_server"} & fixtures)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # Runs after every fixture of the test has been torn down, so after the flush.
    result = yield
    if _seeded_rows and _flushes_database(item):
        with item.config.stash[blocking_manager_key].unblock():
            _restore_seeded_rows()
    return result


def _restore_seeded_rows() -> None:
    call_command("flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False, verbosity=0)
    ContentType.objects.clear_cache()
    for rows in _seeded_rows:
        connection.creation.deserialize_db_from_string(rows)
    # The rows come back with their old ids; a new row must not be given one of them.
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), django_apps.get_models()):
            cursor.execute(sql)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits live in the cache; each test starts with none counted. Only this run's keys are
    # cleared, so another run sharing the Redis database keeps its own (tests/run_cache.py).
    from django.core.cache import caches

    clear_this_run(caches["default"])
    yield
    clear_this_run(caches["default"])
