"""The shared museum scoping: what each role may do in which museum, for any museum-owned model."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from musees.accounts.scoping import (
    MuseumScopedPermissionPolicy,
    museum_scope,
    museum_scoped,
    museums_for,
)
from musees.catalogue.models import Work, WorkImage
from musees.museums.models import MuseumPage


def fresh(user):
    """The user as a new request would load it (the scope is cached on the user object)."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize(
    ("role", "actions"),
    [
        ("editor_a", {"view", "add", "change"}),
        ("manager_a", {"view", "add", "change", "delete", "publish"}),
    ],
)
def test_museum_roles_act_in_their_museum_only(request, role, actions, work_a, work_b):
    user = request.getfixturevalue(role)
    policy = MuseumScopedPermissionPolicy(Work)
    for action in ("view", "add", "change", "delete", "publish"):
        assert policy.user_has_permission_for_instance(user, action, work_a) is (action in actions)
        assert policy.user_has_permission_for_instance(user, action, work_b) is False
    assert list(policy.instances_user_has_any_permission_for(user, ["view"])) == [work_a]


def test_network_roles_act_everywhere(moderator, work_a, work_b):
    policy = MuseumScopedPermissionPolicy(Work)
    assert policy.user_has_permission_for_instance(moderator, "delete", work_b)
    assert set(policy.instances_user_has_any_permission_for(moderator, ["change"])) == {
        work_a,
        work_b,
    }
    assert museums_for(moderator).count() == MuseumPage.objects.count()


def test_anonymous_inactive_and_roleless_users_act_nowhere(django_user_model, editor_a, work_a):
    policy = MuseumScopedPermissionPolicy(Work)
    roleless = django_user_model.objects.create_user("x", "x@example.org", "motdepasse")
    editor_a.is_active = False
    for user in (AnonymousUser(), roleless, editor_a):
        assert not policy.user_has_any_permission(user, ["view", "add", "change"])
        assert not policy.instances_user_has_any_permission_for(user, ["view"]).exists()


def test_scope_costs_two_queries_then_none(editor_a, museum_a):
    user = fresh(editor_a)
    with CaptureQueriesContext(connection) as queries:
        museum_scope(user)
        museum_scope(user).allows("change", museum_a.pk)
    assert len(queries) == 2


def test_a_model_reaching_its_museum_through_another_is_scoped_alike(
    editor_a, work_a, work_b, image_b
):
    policy = MuseumScopedPermissionPolicy(WorkImage, museum_field="work__museum")
    image_of_b = work_b.images.get()
    assert not policy.user_has_permission_for_instance(editor_a, "view", image_of_b)
    assert not museum_scoped(WorkImage.objects.all(), editor_a, ["view"], "work__museum").exists()


def test_users_with_permission_follow_the_roles(editor_a, manager_a, editor_b, moderator, work_a):
    policy = MuseumScopedPermissionPolicy(Work)
    assert set(policy.users_with_permission_for_instance("publish", work_a)) == {
        manager_a,
        moderator,
    }
    assert set(policy.users_with_permission_for_instance("change", work_a)) == {
        editor_a,
        manager_a,
        moderator,
    }


def test_publishing_and_unpublishing_need_the_publish_permission(editor_a, manager_a, work_a):
    policy = MuseumScopedPermissionPolicy(Work)
    changes = [("draft", "withdrawn"), ("draft", "published"), ("published", "draft")]
    assert [
        policy.user_may_change_status(editor_a, work_a, old, new, "published")
        for old, new in changes
    ] == [True, False, False]
    assert all(
        policy.user_may_change_status(manager_a, work_a, old, new, "published")
        for old, new in changes
    )
