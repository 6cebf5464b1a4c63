from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and sign-in"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from accounts.groups import on_post_migrate
        from accounts.sessions import start_session

        user_logged_in.connect(start_session, dispatch_uid="accounts_start_session")

        # After every app has migrated, so Wagtail's permissions and root page exist.
        post_migrate.connect(on_post_migrate, dispatch_uid="programme_leaders_group")
