"""The "Équipe" screens of the admin, and the page that accepts an invitation."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from musees.museums.models import MuseumPage

from .access import may_grant, may_manage_teams, museums_managed_by, network_role
from .forms import AcceptInvitationForm, InvitationForm
from .models import Invitation
from .roles import ADMINISTRATEUR, MUSEUM_ROLES, NETWORK_ROLES, ROLES
from .services import (
    RoleError,
    invitation_accept,
    invitation_cancel,
    invitation_create,
    invitation_find,
    museum_people,
    network_people,
    role_revoke,
    user_by_email,
)

# Team screens (inside the Wagtail admin) ------------------------------------------------------


class TeamMixin(WagtailAdminTemplateMixin):
    """Only people who manage a team see these screens; the museum must be one of theirs."""

    header_icon = "group"
    museum = None

    def dispatch(self, request, *args, **kwargs):
        # Screens the user may not use are "not found", like a museum that does not exist
        # (Wagtail would turn a PermissionDenied into a redirect to the dashboard).
        if not may_manage_teams(request.user):
            raise Http404
        if "museum_pk" in kwargs:
            self.museum = get_object_or_404(
                museums_managed_by(request.user), pk=kwargs["museum_pk"]
            )
        elif self.network_only and network_role(request.user) != ADMINISTRATEUR:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    network_only = False

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse("accounts_team:index"), "label": _("Équipe")},
        ]
        if self.museum is not None:
            items.append(
                {
                    "url": reverse("accounts_team:museum", args=[self.museum.pk]),
                    "label": self.museum.title,
                }
            )
        elif self.network_only:
            items.append({"url": reverse("accounts_team:network"), "label": _("Réseau")})
        return items

    def team_url(self) -> str:
        if self.museum is not None:
            return reverse("accounts_team:museum", args=[self.museum.pk])
        return reverse("accounts_team:network")

    def grantable_roles(self) -> list[str]:
        keys = MUSEUM_ROLES if self.museum is not None else NETWORK_ROLES
        return [key for key in keys if may_grant(self.request.user, key, self.museum)]


class TeamIndexView(TeamMixin, TemplateView):
    """The museums whose team the user manages (straight to it when there is only one)."""

    template_name = "accounts/team_index.html"
    page_title = gettext_lazy("Équipe")

    def get(self, request, *args, **kwargs):
        museums = museums_managed_by(request.user)
        if not network_role(request.user) and museums.count() == 1:
            return redirect("accounts_team:museum", museums.get().pk)
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": _("Équipe")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        museums = museums_managed_by(self.request.user)
        if query:
            museums = museums.filter(
                Q(title__icontains=query)
                | Q(museofile_id__iexact=query)
                | Q(commune__icontains=query)
            )
        now = timezone.now()
        museums = museums.annotate(
            managers_count=Count("managers_group__user", distinct=True),
            editors_count=Count("editors_group__user", distinct=True),
            pending_count=Count(
                "invitations",
                filter=Q(
                    invitations__accepted_at__isnull=True,
                    invitations__cancelled_at__isnull=True,
                    invitations__expires_at__gt=now,
                ),
                distinct=True,
            ),
        ).order_by("title")
        context.update(
            {
                "museums": museums,
                "query": query,
                "shows_network": network_role(self.request.user) == ADMINISTRATEUR,
            }
        )
        return context


class TeamView(TeamMixin, TemplateView):
    """A museum's people (or the network's) and its pending invitations."""

    template_name = "accounts/team.html"

    def get_page_title(self):
        if self.museum is not None:
            return _("Équipe de %(museum)s") % {"museum": self.museum.title}
        return _("Équipe du réseau")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.museum is not None:
            people = museum_people(self.museum)
            invitations = Invitation.objects.pending().for_museum(self.museum)
        else:
            people = network_people()
            invitations = Invitation.objects.pending().for_network()
        context.update(
            {
                "museum": self.museum,
                "people": [
                    {
                        "user": user,
                        "role": ROLES[role].label,
                        "remove_url": self._remove_url(user)
                        if may_grant(self.request.user, role, self.museum)
                        else None,
                    }
                    for user, role in people
                ],
                "invitations": invitations.base_queryset(),
                "invite_url": self._invite_url() if self.grantable_roles() else None,
                "review_by": self.museum.get_review_by_display() if self.museum else None,
                "review_by_url": reverse("accounts_team:museum_review", args=[self.museum.pk])
                if self.museum
                else None,
            }
        )
        return context

    def _invite_url(self):
        if self.museum is not None:
            return reverse("accounts_team:museum_invite", args=[self.museum.pk])
        return reverse("accounts_team:network_invite")

    def _remove_url(self, user):
        if self.museum is not None:
            return reverse("accounts_team:museum_remove", args=[self.museum.pk, user.pk])
        return reverse("accounts_team:network_remove", args=[user.pk])


class ReviewByForm(forms.Form):
    review_by = forms.ChoiceField(
        label=gettext_lazy("Les modifications des rédacteurs sont relues et publiées par"),
        choices=MuseumPage.ReviewBy.choices,
        widget=forms.RadioSelect,
    )


class ReviewByView(TeamMixin, FormView):
    """Who reviews the changes of the museum's rédacteurs: its responsables or the network's
    moderators (musees/review). A responsable of the museum or the network chooses."""

    form_class = ReviewByForm
    template_name = "accounts/review_by.html"

    def dispatch(self, request, *args, **kwargs):
        if "museum_pk" not in kwargs:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Relecture des modifications de %(museum)s") % {"museum": self.museum.title}

    def get_initial(self):
        return {"review_by": self.museum.review_by}

    def form_valid(self, form):
        from musees.audit.services import log_event

        choice = form.cleaned_data["review_by"]
        if choice != self.museum.review_by:
            MuseumPage.objects.filter(pk=self.museum.pk).update(review_by=choice)
            log_event(
                action="musees.review_by",
                instance=self.museum,
                museum=self.museum,
                user=self.request.user,
                data={"review_by": choice},
            )
        messages.success(
            self.request,
            _("Les modifications des rédacteurs seront relues par %(who)s.")
            % {"who": MuseumPage.ReviewBy(choice).label},
        )
        return redirect(self.team_url())


class NetworkTeamView(TeamView):
    network_only = True


class InviteView(TeamMixin, FormView):
    """Invite someone by e-mail to one of the roles the user may give here."""

    template_name = "accounts/invite.html"
    form_class = InvitationForm

    def get_page_title(self):
        if self.museum is not None:
            return _("Inviter une personne à %(museum)s") % {"museum": self.museum.title}
        return _("Inviter une personne dans l'équipe du réseau")

    def get_form_kwargs(self):
        roles = self.grantable_roles()
        if not roles:
            raise Http404
        return {**super().get_form_kwargs(), "roles": roles, "days": settings.INVITATION_DAYS}

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "museum": self.museum,
            "back": self.team_url(),
        }

    def form_valid(self, form):
        role = form.cleaned_data["role"]
        if not may_grant(self.request.user, role, self.museum):
            raise Http404
        invitation, _token = invitation_create(
            email=form.cleaned_data["email"],
            role=role,
            museum=self.museum,
            invited_by=self.request.user,
        )
        messages.success(
            self.request,
            _("Invitation envoyée à %(email)s (%(role)s), valable jusqu'au %(date)s.")
            % {
                "email": invitation.email,
                "role": invitation.role_label,
                "date": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y"),
            },
        )
        return HttpResponseRedirect(self.team_url())


class NetworkInviteView(InviteView):
    network_only = True


class RemoveView(TeamMixin, TemplateView):
    """Confirm, then take away a person's role in the museum (or in the network)."""

    template_name = "accounts/remove.html"

    def dispatch(self, request, *args, **kwargs):
        self.user_pk = kwargs["user_pk"]
        return super().dispatch(request, *args, **kwargs)

    def get_person(self):
        people = museum_people(self.museum) if self.museum is not None else network_people()
        for user, role in people:
            if user.pk == self.user_pk:
                if not may_grant(self.request.user, role, self.museum):
                    raise Http404
                return user, role
        raise Http404

    def get_page_title(self):
        return _("Retirer un rôle")

    def get_context_data(self, **kwargs):
        user, role = self.get_person()
        return {
            **super().get_context_data(**kwargs),
            "person": user,
            "role": ROLES[role].label,
            "museum": self.museum,
            "back": self.team_url(),
        }

    def post(self, request, *args, **kwargs):
        user, role = self.get_person()
        try:
            role_revoke(user=user, museum=self.museum, by=request.user)
        except RoleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(name)s n'a plus le rôle %(role)s.")
                % {"name": user.get_full_name() or user.email, "role": ROLES[role].label},
            )
        return HttpResponseRedirect(self.team_url())


class NetworkRemoveView(RemoveView):
    network_only = True


@method_decorator(never_cache, name="dispatch")
class CancelInvitationView(TeamMixin, TemplateView):
    """Withdraw a pending invitation of one of the user's museums (POST only)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        invitation = get_object_or_404(Invitation.objects.pending(), pk=kwargs["pk"])
        if invitation.museum_id is not None:
            if not museums_managed_by(request.user).filter(pk=invitation.museum_id).exists():
                raise Http404
            back = reverse("accounts_team:museum", args=[invitation.museum_id])
        else:
            if network_role(request.user) != ADMINISTRATEUR:
                raise Http404
            back = reverse("accounts_team:network")
        invitation_cancel(invitation=invitation)
        messages.success(
            request, _("L'invitation de %(email)s est annulée.") % {"email": invitation.email}
        )
        return HttpResponseRedirect(back)


# Accepting an invitation (public site) ---------------------------------------------------------

INVALID_REASONS = {
    "unknown": (
        404,
        gettext_lazy("Cette invitation n'existe pas"),
        gettext_lazy(
            "Le lien est incomplet ou ne correspond à aucune invitation. Vérifiez que vous "
            "avez copié l'adresse entière, ou demandez une nouvelle invitation."
        ),
    ),
    "used": (
        410,
        gettext_lazy("Cette invitation a déjà été utilisée"),
        gettext_lazy(
            "Chaque lien d'invitation ne sert qu'une fois. Si votre compte est créé, "
            "connectez-vous avec votre adresse e-mail."
        ),
    ),
    "expired": (
        410,
        gettext_lazy("Cette invitation a expiré"),
        gettext_lazy(
            "Le lien n'est plus valable. Demandez au responsable de votre musée (ou à "
            "l'association) de vous inviter à nouveau."
        ),
    ),
    "cancelled": (
        410,
        gettext_lazy("Cette invitation a été annulée"),
        gettext_lazy(
            "La personne qui vous a invité a retiré cette invitation, ou en a envoyé une plus "
            "récente : utilisez le lien du dernier message reçu."
        ),
    ),
}


def _invalid(request, reason: str):
    status, title, text = INVALID_REASONS[reason]
    return render(
        request,
        "accounts/invitation_invalid.html",
        {"title": title, "text": text},
        status=status,
    )


def _invitation_problem(invitation) -> str | None:
    if invitation is None:
        return "unknown"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.cancelled_at is not None:
        return "cancelled"
    if invitation.is_expired():
        return "expired"
    return None


@never_cache
def invitation_view(request, token: str):
    """Accept an invitation: create the account, or add the role to the one logged in."""
    invitation = invitation_find(token)
    problem = _invitation_problem(invitation)
    if problem:
        return _invalid(request, problem)
    context = {"invitation": invitation, "role_label": invitation.role_label}
    existing = user_by_email(invitation.email)

    if request.user.is_authenticated:
        if request.user.email.strip().lower() != invitation.email:
            return render(request, "accounts/invitation_other_account.html", context, status=403)
        if request.method == "POST":
            try:
                invitation_accept(invitation=invitation, user=request.user)
            except RoleError:
                return _invalid(request, _invitation_problem(invitation_find(token)) or "used")
            messages.success(request, _accepted_message(invitation))
            return redirect(settings.LOGIN_REDIRECT_URL)
        return render(request, "accounts/invitation_confirm.html", context)

    if existing is not None and existing.has_usable_password():
        login_url = reverse("account_login") + "?" + _next_query(request.path)
        return render(
            request, "accounts/invitation_login.html", {**context, "login_url": login_url}
        )

    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        from allauth.account.internal.flows.login import record_authentication
        from allauth.account.utils import perform_login

        try:
            user = invitation_accept(
                invitation=invitation,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except RoleError:
            return _invalid(request, _invitation_problem(invitation_find(token)) or "used")
        messages.success(request, _accepted_message(invitation))
        response = perform_login(
            request, user, email_verification="none", redirect_url=settings.LOGIN_REDIRECT_URL
        )
        # The person has just chosen their password: that counts as a fresh login (two-factor
        # can be set up at once, without typing it again).
        record_authentication(request, user, method="password")
        return response
    return render(request, "accounts/invitation_accept.html", {**context, "form": form})


def _next_query(path: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"next": path})


def _accepted_message(invitation) -> str:
    if invitation.museum is not None:
        return _("Bienvenue : vous êtes %(role)s de %(museum)s.") % {
            "role": invitation.role_label,
            "museum": invitation.museum.title,
        }
    return _("Bienvenue : vous êtes %(role)s du réseau.") % {"role": invitation.role_label}


def admin_login_redirect(request):
    """Wagtail's (and Wagtail's front-end) login page: the one login is allauth's."""
    url = reverse("account_login")
    if request.META.get("QUERY_STRING"):
        url = f"{url}?{request.META['QUERY_STRING']}"
    return HttpResponseRedirect(url)
