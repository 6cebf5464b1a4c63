"""Print the current sign-in code for a demo account, so nobody needs an authenticator app to try it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programme import demo


class Command(BaseCommand):
    help = f"Print the current six-digit two-factor code for a demo account (@{demo.DEMO_DOMAIN}). DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The demo account's email address.")

    def handle(self, *args, email: str, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DEBUG on.")
        try:
            code = demo.totp_code(email)
        except demo.DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(code)
