"""What an import of museums did: counts, rejected rows, warnings and museum edits kept."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

ERROR_NO_INDEX = gettext_lazy("Aucune page « Musées » : lancez d'abord `manage.py setup_site`.")
ERROR_SAVE = gettext_lazy("enregistrement impossible (%(error)s)")
SUMMARY = gettext_lazy(
    "%(created)d créés, %(updated)d mis à jour, %(unchanged)d inchangés, %(rejected)d rejetés"
)
DRY_RUN_NOTE = gettext_lazy("Simulation : rien n'a été enregistré.")
KEPT_EDITS_SUMMARY = gettext_lazy(
    "%(count)d champs modifiés par les musées ont été conservés (non écrasés par l'import)."
)
KEPT_EDITS_LINE = gettext_lazy("%(museofile_id)s (%(title)s) : %(fields)s conservé(s)")
LINE = gettext_lazy("ligne %(line)d : %(reason)s")


class MuseumImportError(Exception):
    """The import cannot run at all (for example: no museums index page to add museums to)."""


@dataclass
class KeptEdits:
    """Fields of one museum that its staff edited, so the import left them as they are."""

    museofile_id: str
    title: str
    fields: list[str]


@dataclass
class ImportReport:
    """Counts and details of one import run."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    kept_local_edits: list[KeptEdits] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)

    @property
    def kept_count(self) -> int:
        """How many field values museums had edited and the import kept."""
        return sum(len(kept.fields) for kept in self.kept_local_edits)

    def summary(self) -> str:
        """« 132 créés, 0 mis à jour, 0 inchangés, 2 rejetés »."""
        return str(
            SUMMARY
            % {
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "rejected": self.rejected_count,
            }
        )

    def lines(self) -> list[str]:
        """The summary, then one line per rejected row, warning and museum edit kept."""
        out = [self.summary()]
        out += [str(LINE % {"line": line, "reason": reason}) for line, reason in self.rejected]
        out += self.warnings
        if self.kept_local_edits:
            out.append(str(KEPT_EDITS_SUMMARY % {"count": self.kept_count}))
            out += [
                str(
                    KEPT_EDITS_LINE
                    % {
                        "museofile_id": kept.museofile_id,
                        "title": kept.title,
                        "fields": ", ".join(kept.fields),
                    }
                )
                for kept in self.kept_local_edits
            ]
        if self.dry_run:
            out.append(str(DRY_RUN_NOTE))
        return out
