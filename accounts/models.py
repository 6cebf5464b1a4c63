import secrets
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone

from accounts.roles import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        # Long lists of people (every participant, a page at a time) are ordered by name.
        indexes = [models.Index(fields=["last_name", "first_name"], name="user_by_name")]

    def __str__(self) -> str:
        return self.name_of(self.first_name, self.last_name, self.email)

    @staticmethod
    def name_of(first_name: str, last_name: str, email: str) -> str:
        """What pages call a person: their full name, or their email address if they gave none (also
        for lists that read these three columns without making a User)."""
        return f"{first_name} {last_name}".strip() or email

    @cached_property
    def roles(self) -> frozenset[str]:
        """The roles this person holds, read once per request."""
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, role: str) -> bool:
        return role in self.roles


class RoleGrant(models.Model):
    """One role held by one person. Granted and removed through accounts.services."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")]

    def __str__(self) -> str:
        return f"{self.user} as {self.get_role_display()}"


def _new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Invitation(models.Model):
    """An invitation by email from a programme leader. The link in it works once, until it expires."""

    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    roles = models.JSONField(default=list, help_text="The roles the person will hold.")
    school = models.ForeignKey(
        "programme.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="For coaches and heads: the school they will be a member of from today.",
    )
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    nonce = models.CharField(max_length=64, default=_new_nonce, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    def role_labels(self) -> str:
        return ", ".join(Role(r).label for r in self.roles)
