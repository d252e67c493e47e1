"""Log entries Wagtail does not write (logins, group changes), and the museum of each entry."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from wagtail.models import ModelLogEntry, PageLogEntry

from .scope import museum_of_object, museum_of_page, museums_of_groups
from .services import NO_OBJECT_ID, log_event, museum_data

User = get_user_model()

# Keys of authenticate()'s credentials that name the person; the password is never read.
LOGIN_KEYS = ("email", "login", "username")


@receiver(user_logged_in, dispatch_uid="audit-login")
def log_login(sender, request, user, **kwargs):
    log_event(action="musees.login", instance=user, user=user)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def log_logout(sender, request, user, **kwargs):
    if user is not None:
        log_event(action="musees.logout", instance=user, user=user)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def log_login_failed(sender, credentials, request=None, **kwargs):
    """Log on the account of the address tried, or record the address when there is none."""
    from musees.accounts.services import user_by_email

    attempted = next((str(credentials[key]) for key in LOGIN_KEYS if credentials.get(key)), "")
    account = user_by_email(attempted) if attempted else None
    if account is not None:
        log_event(action="musees.login_failed", instance=account)
    else:
        log_event(
            action="musees.login_failed",
            data={"email": attempted[:254]},
            model=User,
            label=attempted[:254],
        )


# Group membership: roles given and taken away, in the team screens, add_staff, invitations or
# Wagtail's user screens alike. Django sends "remove" for every group asked for, held or not:
# the groups actually held are read before the change.


def _log_group_changes(user_ids, group_ids, action: str) -> None:
    if not user_ids or not group_ids:
        return
    group_ids = set(group_ids)
    museums = museums_of_groups(group_ids)
    names = dict(Group.objects.filter(pk__in=group_ids).values_list("pk", "name"))
    for user in User.objects.filter(pk__in=user_ids):
        for group_id in sorted(group_ids):
            museum, role = museums.get(group_id, (None, ""))
            log_event(
                action=action,
                instance=user,
                museum=museum,
                data={
                    "group": names.get(group_id, ""),
                    "role": role or _network_role(names, group_id),
                },
            )


def _network_role(names: dict, group_id: int) -> str:
    from musees.accounts.roles import NETWORK_GROUP_NAMES

    by_name = {name: key for key, name in NETWORK_GROUP_NAMES.items()}
    return by_name.get(names.get(group_id), "")


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit-groups")
def log_group_change(sender, instance, action, reverse, model, pk_set, **kwargs):
    through = User.groups.through
    if reverse:  # group.user_set.add(...): instance is the group, pk_set the users
        pairs = {"group_id": instance.pk}
        if action in ("pre_remove", "pre_clear"):
            held = through.objects.filter(**pairs)
            if pk_set is not None:
                held = held.filter(user_id__in=pk_set)
            instance._audit_removed = set(held.values_list("user_id", flat=True))
        elif action == "post_add":
            _log_group_changes(pk_set, [instance.pk], "musees.role_added")
        elif action in ("post_remove", "post_clear"):
            _log_group_changes(
                getattr(instance, "_audit_removed", ()), [instance.pk], "musees.role_removed"
            )
        return
    if action in ("pre_remove", "pre_clear"):
        held = through.objects.filter(user_id=instance.pk)
        if pk_set is not None:
            held = held.filter(group_id__in=pk_set)
        instance._audit_removed = set(held.values_list("group_id", flat=True))
    elif action == "post_add":
        _log_group_changes([instance.pk], pk_set, "musees.role_added")
    elif action in ("post_remove", "post_clear"):
        _log_group_changes(
            [instance.pk], getattr(instance, "_audit_removed", ()), "musees.role_removed"
        )


# Every entry names its museum, so that it stays in the museum's log after its object is gone.


@receiver(pre_save, sender=PageLogEntry, dispatch_uid="audit-page-entry-museum")
def page_entry_museum(sender, instance, raw: bool = False, **kwargs):
    if raw or not instance._state.adding or "museum_id" in (instance.data or {}):
        return
    page = instance.page if instance.page_id else None
    if page is not None:
        instance.data = {**(instance.data or {}), **museum_data(museum_of_page(page))}


@receiver(pre_save, sender=ModelLogEntry, dispatch_uid="audit-model-entry-museum")
def model_entry_museum(sender, instance, raw: bool = False, **kwargs):
    if raw or not instance._state.adding or "museum_id" in (instance.data or {}):
        return
    if not instance.content_type_id or instance.object_id == NO_OBJECT_ID:
        return
    museum = museum_of_object(instance.content_type.model_class(), instance.object_id)
    if museum is not None:
        instance.data = {**(instance.data or {}), **museum_data(museum)}
