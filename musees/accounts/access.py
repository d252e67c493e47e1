"""Who may see and manage which team: the questions the team screens and services ask."""

from django.contrib.auth.models import Group

from musees.museums.models import MuseumPage

from .roles import ADMINISTRATEUR, MODERATEUR, NETWORK_GROUP_NAMES, RESPONSABLE, ROLES


def network_role(user) -> str | None:
    """The user's network role ("administrateur", "moderateur") or None; superusers administer."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ADMINISTRATEUR
    cached = getattr(user, "_musees_network_role", False)
    if cached is not False:
        return cached
    names = set(
        user.groups.filter(name__in=NETWORK_GROUP_NAMES.values()).values_list("name", flat=True)
    )
    role = None
    for key in (ADMINISTRATEUR, MODERATEUR):
        if NETWORK_GROUP_NAMES[key] in names:
            role = key
            break
    user._musees_network_role = role
    return role


def museums_managed_by(user):
    """The museums whose team the user manages: all for the network, else those they run."""
    if not user.is_authenticated or not user.is_active:
        return MuseumPage.objects.none()
    if network_role(user):
        return MuseumPage.objects.all()
    return MuseumPage.objects.filter(managers_group__in=Group.objects.filter(user=user))


def may_manage_teams(user) -> bool:
    """Whether the user sees the "Équipe" screens at all."""
    return bool(network_role(user)) or museums_managed_by(user).exists()


def may_grant(user, role: str, museum=None) -> bool:
    """Whether the user may give (or take away) `role`, in `museum` for a museum role."""
    if role not in ROLES:
        return False
    own = network_role(user)
    if own:
        if ROLES[role].scope == "museum" and museum is None:
            return False
        return role in ROLES[own].grants
    if museum is None or role not in ROLES[RESPONSABLE].grants:
        return False
    return museums_managed_by(user).filter(pk=museum.pk).exists()
