"""Forms of the team screens and of the invitation page."""

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from .roles import role_choices


class InvitationForm(forms.Form):
    """Invite someone by e-mail, with one of the roles the inviter may give."""

    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("La personne reçoit un lien valable %(days)s jours."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Rôle"), widget=forms.RadioSelect)

    def __init__(self, *args, roles, days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(roles)
        if len(roles) == 1:
            self.fields["role"].initial = roles[0]
        self.fields["email"].help_text = self.fields["email"].help_text % {"days": days}

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class AcceptInvitationForm(forms.Form):
    """Name and password of the account an invitation creates."""

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 12 caractères, pas uniquement des chiffres ni un mot trop courant."),
    )
    password2 = forms.CharField(
        label=_("Mot de passe (confirmation)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    error_messages = {"password_mismatch": _("Les deux mots de passe ne sont pas identiques.")}

    def __init__(self, *args, email: str, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", self.error_messages["password_mismatch"])
        elif password1:
            user = get_user_model()(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
