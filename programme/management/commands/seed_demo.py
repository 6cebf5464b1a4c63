"""Load demo data for trying the portal locally. Safe to run again: nothing changes."""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programme import demo

# Wagtail and the task runner log every page and index update at INFO; a newcomer needs the logins.
_CHATTY_LOGGERS = ("wagtail", "django_tasks", "modelsearch")


@contextmanager
def _quiet(enabled: bool):
    loggers = [logging.getLogger(name) for name in _CHATTY_LOGGERS] if enabled else []
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Create demo schools, a cohort, staff, participants and handbook pages, then print one "
        "sign-in per role. Only runs with DEBUG on, because every demo account shares one password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--participants",
            type=int,
            default=demo.DEFAULT_PARTICIPANTS,
            help="How many participants the demo holds, the demo login included "
            f"(default {demo.DEFAULT_PARTICIPANTS}).",
        )

    def handle(self, *args, participants: int, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo only runs with DEBUG on: demo accounts share a published password and must "
                "never exist on a live site."
            )
        try:
            with _quiet(options["verbosity"] < 2):
                result = demo.seed_demo(participants=participants)
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        for role, email in result.logins:
            self.stdout.write(f"{role} {email} {demo.DEMO_PASSWORD}")
        self.stdout.write(
            "Tutors, programme leaders and external examiners also need a six-digit code after the password: "
            "run `manage.py demo_totp EMAIL` to get it, or add the secret "
            f"{demo.DEMO_TOTP_SECRET} to an authenticator app."
        )
