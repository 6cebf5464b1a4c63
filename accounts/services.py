"""Writes about people: roles and invitations."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import signing
from django.db import transaction
from django.utils import timezone

from accounts.links import invitation_token_data
from accounts.models import Invitation, RoleGrant, User
from accounts.roles import PROGRAMME_LEADERS_GROUP, Role
from accounts.tasks import send_invitation
from audit import trail
from programme.models import StaffMembership
from programme.services import staff_membership_start
from ui.errors import RuleError


@transaction.atomic
def role_grant(*, user: User, role: str) -> None:
    _, granted = RoleGrant.objects.get_or_create(user=user, role=role)
    if granted:
        trail.record(trail.Action.ROLE_GRANT, record=user, detail={"role": str(role)})
    if role == Role.PROGRAMME_LEADER:
        user.groups.add(Group.objects.get(name=PROGRAMME_LEADERS_GROUP))
    user.__dict__.pop("roles", None)


@transaction.atomic
def role_revoke(*, user: User, role: str) -> None:
    revoked, _ = RoleGrant.objects.filter(user=user, role=role).delete()
    if revoked:
        trail.record(trail.Action.ROLE_REVOKE, record=user, detail={"role": str(role)})
    if role == Role.PROGRAMME_LEADER:
        user.groups.remove(*Group.objects.filter(name=PROGRAMME_LEADERS_GROUP))
    user.__dict__.pop("roles", None)


@transaction.atomic
def invitation_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    roles: list[str],
    invited_by: User | None,
    school=None,
) -> Invitation:
    """Record an invitation and send it by email once the transaction has committed. Refused, with
    RuleError, for someone who already has an account or an invitation waiting, and for
    roles that are missing or unknown, or a coach or head invited without their school."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise RuleError("Someone already has an account with this email address.", rule="account_exists", field="email")
    pending = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True, expires_at__gt=timezone.now())
    if pending.exists():
        raise RuleError(
            "This email address already has an invitation waiting. Resend that one instead.",
            rule="invitation_pending",
            field="email",
        )
    roles = set(roles)
    if not roles:
        raise RuleError("Choose at least one role.", rule="roles", field="roles")
    unknown = sorted(str(role) for role in roles - set(Role.values))
    if unknown:
        raise RuleError(f"Not a role on the programme: {', '.join(unknown)}.", rule="roles", field="roles")
    needing_school = sorted(Role(role).label.lower() for role in roles & set(StaffMembership.StaffRole.values))
    if needing_school and school is None:
        raise RuleError(
            f"Choose the school: an invited {' and '.join(needing_school)} is a member of a school's staff.",
            rule="school_needed",
            field="school",
        )
    invitation = Invitation.objects.create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        roles=sorted(roles),
        school=school,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    trail.record(trail.Action.INVITATION_CREATE, record=invitation, actor=invited_by, detail={"roles": sorted(roles)})
    transaction.on_commit(lambda: send_invitation.delay(invitation.pk))
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> Invitation:
    """A fresh link and a fresh expiry; the old link stops working."""
    if invitation.is_accepted:
        raise RuleError("This invitation has already been accepted.", rule="invitation_accepted")
    invitation.nonce = Invitation._meta.get_field("nonce").default()
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    invitation.sent_at = None  # the fresh link is unsent until the task claims and sends it
    invitation.save(update_fields=["nonce", "expires_at", "sent_at"])
    trail.record(trail.Action.INVITATION_RESEND, record=invitation)
    transaction.on_commit(lambda: send_invitation.delay(invitation.pk))
    return invitation


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link points to, or a RuleError saying plainly, to the person holding the link, why
    it cannot be used."""
    try:
        data = invitation_token_data(token)
        invitation = Invitation.objects.get(pk=data["i"])
    except (signing.BadSignature, KeyError, TypeError, Invitation.DoesNotExist) as exc:
        raise RuleError(
            "This invitation link is not valid. Check you copied the whole link.", rule="invitation_link_invalid"
        ) from exc
    if invitation.is_accepted:
        raise RuleError(
            "This invitation link has already been used. Sign in with your email and password.",
            rule="invitation_link_used",
        )
    if data.get("n") != invitation.nonce:
        raise RuleError(
            "This invitation link has been replaced by a newer one. Use the latest email.",
            rule="invitation_link_replaced",
        )
    if invitation.is_expired:
        raise RuleError(
            "This invitation link expired on "
            f"{timezone.localtime(invitation.expires_at):%d %B %Y}. Ask your programme leader to send a new one.",
            rule="invitation_link_expired",
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str) -> User:
    """Create the invited person's account, with their roles and school, and use the link up."""
    invitation = invitation_from_token(token)
    # Lock the row so two clicks on one link cannot create two accounts.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_accepted:
        raise RuleError(
            "This invitation link has already been used. Sign in with your email and password.",
            rule="invitation_link_used",
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise RuleError(
            "An account with this email address already exists. Sign in instead.", rule="invitation_account_exists"
        )
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    # The link came to this address, so the address is verified.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for role in invitation.roles:
        role_grant(user=user, role=role)
    if invitation.school_id:
        for role in invitation.roles:
            if role in StaffMembership.StaffRole.values:
                staff_membership_start(user=user, school=invitation.school, role=role, starts_on=timezone.localdate())
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    trail.record(trail.Action.INVITATION_ACCEPT, record=invitation, actor=user)
    return user
