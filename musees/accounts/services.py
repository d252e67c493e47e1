"""Writes on accounts: the network's groups, roles given and taken away, invitations."""

import datetime
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .models import Invitation, token_hash
from .roles import (
    MUSEUM,
    NETWORK_GROUP_NAMES,
    NETWORK_ROLES,
    RESPONSABLE,
    ROLES,
    SCOPE_MUSEUM_INDEXES,
    SCOPE_SITE,
)

ERROR_UNKNOWN_ROLE = _("Rôle inconnu : « %(role)s ». Rôles possibles : %(roles)s.")
ERROR_MUSEUM_REQUIRED = _("Le rôle « %(role)s » se donne dans un musée : indiquez lequel.")
ERROR_NETWORK_ROLE_WITH_MUSEUM = _(
    "Le rôle « %(role)s » est un rôle du réseau : il ne se donne pas dans un musée."
)
ERROR_LAST_MANAGER = _(
    "Vous êtes le seul responsable de ce musée : vous ne pouvez pas retirer votre propre rôle. "
    "Nommez d'abord un autre responsable."
)
ERROR_INVITATION_NOT_PENDING = _("Cette invitation n'est plus valable.")
ERROR_INVITATION_OTHER_EMAIL = _("Cette invitation est adressée à une autre adresse e-mail.")


class RoleError(ValueError):
    """A role that cannot be given or taken away; the message is for the person."""


# Network groups -------------------------------------------------------------------------------


def _permissions(names) -> list[Permission]:
    """Permission rows for "app_label.codename" names (missing ones are left out)."""
    wanted = {tuple(name.split(".", 1)) for name in names}
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _c in wanted},
        codename__in={codename for _a, codename in wanted},
    ).select_related("content_type")
    return [p for p in found if (p.content_type.app_label, p.codename) in wanted]


def _network_scope_pages(where: str):
    from wagtail.models import Page

    from musees.museums.models import MuseumIndexPage

    if where == SCOPE_MUSEUM_INDEXES:
        return list(MuseumIndexPage.objects.all())
    if where == SCOPE_SITE:
        root = Page.get_first_root_node()
        return [root] if root else []
    return []


def _sync_rows(model, group, wanted: set[tuple[int, int]], target_field: str) -> None:
    """Make `group`'s rows of `model` exactly `wanted` ((target id, permission id) pairs)."""
    existing = {
        (target_id, permission_id): pk
        for pk, target_id, permission_id in model.objects.filter(group=group).values_list(
            "pk", f"{target_field}_id", "permission_id"
        )
    }
    extra = [pk for key, pk in existing.items() if key not in wanted]
    if extra:
        model.objects.filter(pk__in=extra).delete()
    model.objects.bulk_create(
        [
            model(
                group=group,
                permission_id=permission_id,
                **{f"{target_field}_id": target_id},
            )
            for target_id, permission_id in sorted(wanted - existing.keys())
        ]
    )


@transaction.atomic
def network_groups_ensure() -> dict[str, Group]:
    """Create the network's groups with exactly the permissions of roles.py (idempotent).

    Run after every migration and whenever a museums directory page is created; running it again
    also takes back any permission given to these groups by hand.
    """
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    page_permissions = {p.codename: p for p in _permissions(_page_permission_names())}
    root_collection = Collection.get_first_root_node()
    groups = {}
    for key in NETWORK_ROLES:
        role = ROLES[key]
        group, _created = Group.objects.get_or_create(name=NETWORK_GROUP_NAMES[key])
        group.permissions.set(_permissions(role.permissions))
        pages = _network_scope_pages(role.where)
        _sync_rows(
            GroupPagePermission,
            group,
            {
                (page.pk, page_permissions[codename].pk)
                for page in pages
                for codename in role.page_permissions
                if codename in page_permissions
            },
            "page",
        )
        collection_permissions = _permissions(role.collection_permissions)
        _sync_rows(
            GroupCollectionPermission,
            group,
            {(root_collection.pk, p.pk) for p in collection_permissions}
            if root_collection
            else set(),
            "collection",
        )
        groups[key] = group
    return groups


def _page_permission_names() -> set[str]:
    return {f"wagtailcore.{c}" for role in ROLES.values() for c in role.page_permissions}


# Roles ----------------------------------------------------------------------------------------


def role_check(*, role: str, museum=None) -> None:
    """Raise RoleError unless `role` exists and `museum` is given exactly for a museum role."""
    if role not in ROLES:
        raise RoleError(ERROR_UNKNOWN_ROLE % {"role": role, "roles": ", ".join(ROLES)})
    if ROLES[role].scope == MUSEUM and museum is None:
        raise RoleError(ERROR_MUSEUM_REQUIRED % {"role": ROLES[role].label})
    if ROLES[role].scope != MUSEUM and museum is not None:
        raise RoleError(ERROR_NETWORK_ROLE_WITH_MUSEUM % {"role": ROLES[role].label})


def museum_groups(museum) -> dict[str, Group]:
    """A museum's two role groups, created with its tenancy when missing."""
    from musees.museums.services import museum_tenancy_ensure

    if not (museum.editors_group_id and museum.managers_group_id):
        museum_tenancy_ensure(museum=museum)
    return {"redacteur": museum.editors_group, "responsable": museum.managers_group}


@transaction.atomic
def role_grant(*, user, role: str, museum=None):
    """Give `user` one role in `museum` (or in the network), replacing the one they had there."""
    role_check(role=role, museum=museum)
    if museum is not None:
        groups = museum_groups(museum)
    else:
        groups = network_groups_ensure()
    for key, group in groups.items():
        if key == role:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    return user


@transaction.atomic
def role_revoke(*, user, museum=None, by=None):
    """Take away the user's role in `museum` (or their network role).

    A responsable may not remove their own role when they are the museum's only responsable:
    the museum would have nobody left to run its team.
    """
    from .access import network_role

    if museum is not None:
        groups = museum_groups(museum)
        if (
            by is not None
            and by.pk == user.pk
            and not network_role(by)
            and groups[RESPONSABLE].user_set.exclude(pk=user.pk).count() == 0
            and groups[RESPONSABLE].user_set.filter(pk=user.pk).exists()
        ):
            raise RoleError(ERROR_LAST_MANAGER)
    else:
        groups = network_groups_ensure()
    user.groups.remove(*groups.values())
    return user


def museum_people(museum) -> list[tuple[object, str]]:
    """The museum's staff as (user, role) pairs, responsables first, then by name."""
    groups = museum_groups(museum)
    people = []
    seen = set()
    for key in (RESPONSABLE, "redacteur"):
        for user in groups[key].user_set.order_by("last_name", "first_name", "email"):
            if user.pk not in seen:
                seen.add(user.pk)
                people.append((user, key))
    return people


def network_people() -> list[tuple[object, str]]:
    """The network's staff as (user, role) pairs, administrators first."""
    groups = {
        key: Group.objects.get_or_create(name=name)[0] for key, name in NETWORK_GROUP_NAMES.items()
    }
    people = []
    seen = set()
    for key in ("administrateur", "moderateur"):
        for user in groups[key].user_set.order_by("last_name", "first_name", "email"):
            if user.pk not in seen:
                seen.add(user.pk)
                people.append((user, key))
    return people


# Accounts -------------------------------------------------------------------------------------


def user_by_email(email: str):
    """The account with this e-mail address (case does not matter), or None."""
    User = get_user_model()
    return User.objects.filter(email__iexact=email.strip()).order_by("pk").first()


def _unique_username(email: str) -> str:
    User = get_user_model()
    base = email.lower()[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def staff_user_ensure(*, email: str, first_name: str = "", last_name: str = ""):
    """The account of this e-mail address, created without a password if there is none.

    Returns (user, created). The person sets their password through their invitation (or
    "mot de passe oublié"); the login is the e-mail address.
    """
    email = email.strip().lower()
    user = user_by_email(email)
    if user is not None:
        return user, False
    User = get_user_model()
    user = User(username=_unique_username(email), email=email)
    user.first_name, user.last_name = first_name, last_name
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user, True


def email_address_verified(*, user) -> None:
    """Record the user's address as verified (they proved it by opening the invitation)."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


# Invitations ----------------------------------------------------------------------------------


def invitation_url(token: str) -> str:
    """The absolute address of an invitation's acceptance page."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("accounts:invitation", kwargs={"token": token})
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@transaction.atomic
def invitation_create(
    *, email: str, role: str, museum=None, invited_by=None, send: bool = True
) -> tuple[Invitation, str]:
    """Offer a role to an e-mail address; return the invitation and its one-time token.

    An earlier pending invitation of the same address to the same place is cancelled: only the
    newest link works. The e-mail is sent after the transaction commits.
    """
    role_check(role=role, museum=museum)
    email = email.strip().lower()
    now = timezone.now()
    Invitation.objects.pending().filter(email__iexact=email, museum=museum).update(cancelled_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        role=role,
        museum=museum,
        invited_by=invited_by,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    _log_invitation("musees.invitation_sent", invitation, user=invited_by)
    if send:
        transaction.on_commit(lambda: invitation_send(invitation=invitation, token=token))
    return invitation, token


def invitation_send(*, invitation: Invitation, token: str) -> None:
    """Send the invitation e-mail (French, text and HTML)."""
    inviter = invitation.invited_by
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "role_label": invitation.role_label,
            "museum": invitation.museum,
            "inviter_name": (inviter.get_full_name() or inviter.email) if inviter else "",
            "url": invitation_url(token),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "days": settings.INVITATION_DAYS,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        text = render_to_string("accounts/email/invitation_message.txt", context)
        html = render_to_string("accounts/email/invitation_message.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[invitation.email]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def invitation_find(token: str) -> Invitation | None:
    """The invitation of a token, or None for a token that was never given."""
    if not token or len(token) > 200:
        return None
    return Invitation.objects.select_related("museum").filter(token_hash=token_hash(token)).first()


@transaction.atomic
def invitation_cancel(*, invitation: Invitation) -> Invitation:
    """Withdraw a pending invitation: its link stops working."""
    if invitation.accepted_at is None and invitation.cancelled_at is None:
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        _log_invitation("musees.invitation_cancelled", invitation)
    return invitation


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user=None, first_name: str = "", last_name: str = "", password=None
):
    """Accept an invitation: give its role to `user`, or to the account of its e-mail address.

    With a password, the account of the invitation's address is created (or, if it was created
    without one by `add_staff`, completed). Returns the user. The invitation works once.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise RoleError(ERROR_INVITATION_NOT_PENDING)
    if user is None:
        user, _created = staff_user_ensure(
            email=invitation.email, first_name=first_name, last_name=last_name
        )
        if password is not None:
            user.first_name = first_name or user.first_name
            user.last_name = last_name or user.last_name
            user.set_password(password)
            user.save()
    elif user.email.strip().lower() != invitation.email.lower():
        raise RoleError(ERROR_INVITATION_OTHER_EMAIL)
    role_grant(user=user, role=invitation.role, museum=invitation.museum)
    email_address_verified(user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _log_invitation("musees.invitation_accepted", invitation, user=user)
    return user


def _log_invitation(action: str, invitation: Invitation, user=None) -> None:
    from musees.audit.services import log_event

    data = {"email": invitation.email, "role": invitation.role}
    log_event(action=action, instance=invitation, museum=invitation.museum, user=user, data=data)


def ensure_after_migrate(sender, **kwargs) -> None:
    """post_migrate: create the network groups once every app's permissions exist."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.name == last.name:
        network_groups_ensure()
