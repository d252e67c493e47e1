"""The review step of the network: a change by a rédacteur waits for the museum's responsables,
or for the network's moderators when the museum chose so, before it is public.

Wagtail's `GroupApprovalTask` names fixed groups; here the reviewers depend on the object: the
museum a work or a museum page belongs to, and that museum's choice (`MuseumPage.review_by`).
One task serves every museum, for pages and works alike.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Task, TaskState

from musees.accounts.roles import ADMINISTRATEUR, MODERATEUR, NETWORK_GROUP_NAMES
from musees.museums.models import MuseumPage

REVIEWING_NETWORK_ROLES = (MODERATEUR, ADMINISTRATEUR)


def museum_of(obj) -> MuseumPage | None:
    """The museum a work or a page belongs to (None: a page of the network itself)."""
    museum_id = getattr(obj, "museum_id", None)
    if museum_id is not None:
        return MuseumPage.objects.filter(pk=museum_id).first()
    if isinstance(obj, Page) and obj.pk:
        return MuseumPage.objects.ancestor_of(obj, inclusive=True).first()
    return None


def _network_group_names() -> list[str]:
    return [NETWORK_GROUP_NAMES[role] for role in REVIEWING_NETWORK_ROLES]


def museum_reviews_itself(museum: MuseumPage | None) -> bool:
    return museum is not None and museum.review_by == MuseumPage.ReviewBy.MUSEUM


def reviewers_of(obj):
    """Active accounts that may approve a change of `obj`: the network's moderators and
    administrators always, the museum's responsables when the museum reviews its own."""
    museum = museum_of(obj)
    condition = Q(is_superuser=True) | Q(groups__name__in=_network_group_names())
    if museum_reviews_itself(museum) and museum.managers_group_id:
        condition |= Q(groups=museum.managers_group_id)
    return get_user_model().objects.filter(condition, is_active=True).distinct()


def notified_reviewers_of(obj):
    """Who is told by e-mail that a change waits: the museum's responsables if the museum
    reviews its own changes and has any, the network's moderators otherwise."""
    museum = museum_of(obj)
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if museum_reviews_itself(museum) and museum.managers_group_id:
        managers = users.filter(groups=museum.managers_group_id)
        if managers.exists():
            return managers.distinct()
    return users.filter(groups__name=NETWORK_GROUP_NAMES[MODERATEUR]).distinct()


class MuseumReviewTask(Task):
    """Approval by the reviewers of the object's museum (see `reviewers_of`)."""

    admin_form_fields = Task.admin_form_fields

    def _is_network_reviewer(self, user) -> bool:
        if user.is_superuser:
            return True
        names = getattr(user, "_musees_group_names", None)
        if names is None:
            names = set(user.groups.values_list("name", flat=True))
            user._musees_group_names = names
        return bool(names & set(_network_group_names()))

    def user_can_moderate(self, obj, user) -> bool:
        if not user.is_authenticated or not user.is_active:
            return False
        if self._is_network_reviewer(user):
            return True
        museum = museum_of(obj)
        return (
            museum_reviews_itself(museum)
            and museum.managers_group_id is not None
            and user.groups.filter(pk=museum.managers_group_id).exists()
        )

    def user_can_access_editor(self, obj, user):
        return self.user_can_moderate(obj, user)

    def locked_for_user(self, obj, user):
        # While a change waits, only its reviewers edit the object (as Wagtail's group task).
        return not self.user_can_moderate(obj, user)

    def user_can_lock(self, obj, user):
        return self.user_can_moderate(obj, user)

    def get_actions(self, obj, user):
        if not self.user_can_moderate(obj, user):
            return []
        return [
            ("reject", _("Demander des modifications"), True),
            ("approve", _("Approuver et publier"), False),
            ("approve", _("Approuver avec un commentaire"), True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        # Wagtail's views check the actions on the object of the URL, then act on the task state
        # they are given: the task state's own object must be one the user reviews.
        obj = task_state.revision.content_object
        if not self.user_can_moderate(obj, user):
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if not user.is_authenticated or not user.is_active:
            return TaskState.objects.none()
        if self._is_network_reviewer(user):
            return states
        museums = MuseumPage.objects.filter(
            review_by=MuseumPage.ReviewBy.MUSEUM,
            managers_group__in=user.groups.all(),
        )
        museum_ids = list(museums.values_list("pk", flat=True))
        if not museum_ids:
            return TaskState.objects.none()
        from musees.catalogue.models import Work

        works = (
            Work.objects.filter(museum_id__in=museum_ids)
            .annotate(key=Cast("pk", CharField()))
            .values("key")
        )
        page_type = ContentType.objects.get_for_model(Page)
        return states.filter(
            Q(
                revision__base_content_type=ContentType.objects.get_for_model(Work),
                revision__object_id__in=works,
            )
            | Q(
                revision__base_content_type=page_type,
                revision__object_id__in=[str(pk) for pk in museum_ids],
            )
        )

    @classmethod
    def get_description(cls):
        return _(
            "Les responsables du musée, ou les modérateurs du réseau si le musée l'a choisi, "
            "approuvent les modifications."
        )

    class Meta:
        verbose_name = _("relecture par le musée")
        verbose_name_plural = _("relectures par le musée")
