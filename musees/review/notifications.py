"""E-mail to the reviewers when a change waits for them (Wagtail tells the person who asked
when it is approved or sent back, in their language, with its own templates)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, TaskState
from wagtail.signals import task_submitted

from .models import MuseumReviewTask, museum_of, notified_reviewers_of


def edit_url(obj) -> str:
    """The absolute address of the object's edit screen in the admin."""
    if isinstance(obj, Page):
        path = reverse("wagtailadmin_pages:edit", args=[obj.pk])
    else:
        path = reverse(obj.snippet_viewset.get_url_name("edit"), args=[obj.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_review_request(task_state: TaskState, user=None) -> int:
    """Tell the reviewers of the task state's object that a change waits; the number of
    e-mails sent."""
    revision = task_state.revision
    obj = revision.as_object()
    museum = museum_of(obj)
    recipients = [u for u in notified_reviewers_of(obj) if u != user]
    context = {
        "object": obj,
        "title": revision.object_str or str(obj),
        "kind": obj._meta.verbose_name,
        "museum": museum,
        "submitter": user,
        "submitter_name": (user.get_full_name() or user.email) if user else "",
        "edit_url": edit_url(obj),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string("review/email/submitted_subject.txt", context).split())
        text = render_to_string("review/email/submitted.txt", context)
        html = render_to_string("review/email/submitted.html", context)
    for recipient in recipients:
        message = EmailMultiAlternatives(
            subject=f"[{settings.WAGTAIL_SITE_NAME}] {subject}", body=text, to=[recipient.email]
        )
        message.attach_alternative(html, "text/html")
        message.send()
        sent += 1
    return sent


@receiver(task_submitted, dispatch_uid="musees_review_task_submitted")
def on_task_submitted(sender, instance, user=None, **kwargs):
    if isinstance(instance.task.specific, MuseumReviewTask):
        # Once the submission is saved: a rolled-back submission sends nothing.
        transaction.on_commit(lambda: send_review_request(instance, user))
