"""The Celery app. Settings come from Django's, under the CELERY_ prefix."""

import logging
import os

from celery import Celery, Task

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mtl_portal.settings.dev")

logger = logging.getLogger(__name__)

# A message whose runs have all died this many times is dropped, with an error in the log.
MAX_DELIVERIES = 5
DELIVERIES_KEPT_SECONDS = 2 * 24 * 60 * 60


class CountedDeliveries(Task):
    """The base of every task here. Tasks are acknowledged late and given back when their pool
    process dies (CELERY_TASK_REJECT_ON_WORKER_LOST), so a run that always dies, say of memory,
    would come round for ever: each delivery of a message is counted in the cache (Redis wherever
    there are workers), and the (MAX_DELIVERIES + 1)-th is not run. A run that fails with an error
    is acknowledged and not delivered again, so only deaths add up."""

    def __call__(self, *args, **kwargs):
        request = self.request
        if not request.is_eager and request.id and deliveries(request.id) > MAX_DELIVERIES:
            logger.error("Task %s[%s] dropped: its runs died %s times.", self.name, request.id, MAX_DELIVERIES)
            return None
        return super().__call__(*args, **kwargs)


def deliveries(task_id: str) -> int:
    """Count one more delivery of the message `task_id`; return how many there have been."""
    from django.core.cache import cache

    key = f"celery-deliveries:{task_id}"
    cache.add(key, 0, timeout=DELIVERIES_KEPT_SECONDS)
    return cache.incr(key)


app = Celery("mtl_portal", task_cls=CountedDeliveries)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
