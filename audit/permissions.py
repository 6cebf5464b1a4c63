"""Who may read the audit trail in the CMS: programme leaders, and only to read. Nobody may add,
change or delete an event there (the rows are written by audit.trail alone)."""

from django.contrib.auth import get_user_model
from wagtail.permission_policies.base import BasePermissionPolicy

from accounts.roles import Role
from audit.models import AuditEvent


def may_read_audit_trail(user) -> bool:
    return bool(user.is_authenticated and user.is_active and Role.PROGRAMME_LEADER in user.roles)


class AuditTrailPolicy(BasePermissionPolicy):
    def __init__(self):
        super().__init__(AuditEvent)

    def user_has_permission(self, user, action):
        return action == "view" and may_read_audit_trail(user)

    def users_with_any_permission(self, actions):
        people = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return people.none()
        return people.filter(role_grants__role=Role.PROGRAMME_LEADER).distinct()


audit_trail_policy = AuditTrailPolicy()
