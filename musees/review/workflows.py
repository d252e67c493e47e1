"""What happens when a review is approved (settings.WAGTAIL_FINISH_WORKFLOW_ACTION)."""


def publish_approved(workflow_state, user=None):
    """Publish the reviewed revision.

    Wagtail's default checks the approver's *model-wide* "publish" permission again, which the
    network's roles do not use (works are scoped per museum, musees/accounts/scoping.py): the
    task itself has checked that `user` reviews this object's museum before approving
    (`MuseumReviewTask.on_action`).
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
