"""Load demo data for trying the portal locally. Safe to run again: nothing changes.

Each app seeds what it owns, in one transaction: the programme its schools, cohort, people and
periods (programme.demo), coaching its histories (coaching.demo), the portfolio the demo
participant's records (portfolio.demo), assessment its rubric, tasks and an extension
(assessment.demo) and the demo participant's submitted work (assessment.demo_submissions), the
handbook its pages (handbook.demo). The cohort's other participants then get agreed sessions and
phase 1's released results in bulk (each app's demo_scale, as `seed_scale` gives its thousands), so
the head's and programme leader's tables show a cohort of whom some, not all, are at risk."""

import logging
from contextlib import contextmanager
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from assessment import demo as assessment_demo
from assessment import demo_examiner, demo_marking, demo_statements, demo_submissions
from assessment.demo_scale import seed_scale_results
from coaching import demo as coaching_demo
from coaching.demo_scale import seed_scale_coaching
from handbook import demo as handbook_demo
from portfolio import demo as portfolio_demo
from programme import demo
from programme.models import Cohort

# Wagtail and the task runner log every page and index update at INFO; a newcomer needs the logins.
_CHATTY_LOGGERS = ("wagtail", "django_tasks", "modelsearch")
_NOWHERE = "django.core.mail.backends.locmem.EmailBackend"


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
        "Create demo schools, a cohort, staff, participants, coaching histories and handbook pages, then print one "
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
            # The coaching histories send calendar invitations and notices once the transaction
            # commits; they are addressed to demo accounts, so they go nowhere.
            with _quiet(options["verbosity"] < 2), override_settings(EMAIL_BACKEND=_NOWHERE), transaction.atomic():
                today = timezone.localdate()
                result = demo.seed_demo(participants=participants, today=today)
                coaching_demo.seed_coaching(today=today)
                portfolio_demo.seed_portfolio(today=today)
                assessment_demo.seed_assessment(today=today)
                demo_submissions.seed_submission(today=today)
                demo_statements.seed_statement(today=today)
                demo_marking.seed_marking(today=today)
                demo_examiner.seed_examiner()
                cohort = Cohort.objects.get(name=demo.COHORT_NAME)
                seed_scale_coaching(cohort_id=cohort.pk, today=today)
                seed_scale_results(cohort_id=cohort.pk, today=today, cite_logs=True)
                handbook_demo.seed_handbook()
            # The bulk loads bypass the models' saves: judge everyone's at-risk reasons once now
            # (tracking's command: programme does not import tracking).
            call_command("refresh_risks", stdout=StringIO())
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        for role, email in result.logins:
            self.stdout.write(f"{role} {email} {demo.DEMO_PASSWORD}")
        self.stdout.write(
            "Tutors, programme leaders and external examiners also need a six-digit code after the password: "
            "run `manage.py demo_totp EMAIL` to get it, or add the secret "
            f"{demo.DEMO_TOTP_SECRET} to an authenticator app."
        )
