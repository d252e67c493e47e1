"""A deletion refused by the database's protections reads as a message, not a server error.

Works protect their images and their museum's page (`on_delete=PROTECT`): deleting one from a
Wagtail view that does not expect it (the multiple-upload screen, the admin API's page delete)
raised a ProtectedError, hence a 500. The middleware answers instead with what uses the object:
JSON (409) to the admin's scripts and API, a message and a return to the previous admin page
otherwise. Nothing was deleted: the error rolled the deletion back.
"""

from django.contrib import messages
from django.db.models import ProtectedError, RestrictedError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SHOWN = 3  # objects named in the message


def _describe(exception) -> str:
    users = []
    for item in list(
        exception.protected_objects
        if isinstance(exception, ProtectedError)
        else exception.restricted_objects
    )[: SHOWN + 1]:
        owner = getattr(item, "work", None) or item  # an image row names its work
        users.append(f"« {owner} »")
    text = ", ".join(users[:SHOWN])
    return text + (" …" if len(users) > SHOWN else "")


class ProtectedDeletionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ProtectedError | RestrictedError):
            return None
        message = _(
            "Suppression impossible : cet élément est encore utilisé par %(users)s. "
            "Retirez-le d'abord de là."
        ) % {"users": _describe(exception)}
        wants_json = (
            "/api/" in request.path
            or request.headers.get("x-requested-with") == "XMLHttpRequest"
            or "application/json" in request.headers.get("accept", "")
        )
        if wants_json:
            return JsonResponse({"success": False, "error_message": message}, status=409)
        messages.error(request, message)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("wagtailadmin_home")
        return redirect(back)
