"""The upload form of an import: museum (among the user's own), file, format, mode, dry run."""

from django import forms
from django.utils.translation import gettext_lazy as _

from musees.accounts.scoping import ADD, museums_for

from .models import ImportJob

LENIENT = "lenient"
STRICT = "strict"
MAX_UPLOAD_MB = 200

ERROR_TOO_LARGE = _(
    "Le fichier dépasse %(max)d Mo : découpez-le ou importez-le en ligne de commande."
)
ERROR_EMPTY = _("Le fichier est vide.")


class ImportForm(forms.Form):
    """What the person chooses before an import starts."""

    museum = forms.ModelChoiceField(
        label=_("Musée"),
        queryset=None,
        empty_label=_("Choisissez un musée"),
        error_messages={
            "required": _("Choisissez le musée où importer les notices."),
            "invalid_choice": _("Vous ne pouvez pas importer de notices dans ce musée."),
        },
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_(
            "Export Joconde (texte ou CSV) ou LIDO de votre logiciel d'inventaire. Les notices "
            "d'un autre musée que celui choisi sont rejetées."
        ),
        error_messages={
            "required": _("Choisissez le fichier à importer."),
            "empty": ERROR_EMPTY,
            "invalid": _("Ce n'est pas un fichier : choisissez-en un à nouveau."),
        },
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=ImportJob.Format.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le format du fichier.")},
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=[
            (LENIENT, _("Souple : les notices valides sont enregistrées, les autres signalées")),
            (STRICT, _("Strict : rien n'est enregistré si une seule notice est invalide")),
        ],
        initial=LENIENT,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le mode d'import.")},
    )
    dry_run = forms.BooleanField(
        label=_("Essai à blanc : tout vérifier sans rien enregistrer"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        museums = museums_for(user, ADD)
        self.fields["museum"].queryset = museums
        choices = list(museums[:2])
        if len(choices) == 1:
            self.fields["museum"].initial = choices[0].pk

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(ERROR_TOO_LARGE % {"max": MAX_UPLOAD_MB})
        return upload
