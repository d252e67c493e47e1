"""Fail when an interface string has no English translation.

Extracts the strings as `make messages` would, into a temporary copy of the catalogue, and lists
every msgid whose English msgstr is empty or fuzzy. The catalogue in the tree is left untouched.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "musees" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def untranslated(po_text: str) -> list[str]:
    """The msgids of a .po text that have no translation (empty or fuzzy), header excluded."""
    missing = []
    for block in re.split(r"\n\s*\n", po_text):
        if "msgid" not in block or block.lstrip().startswith("#~"):
            continue
        msgid = "".join(
            re.findall(r'^(?:msgid|msgid_plural)?\s*"(.*)"$', block.split("msgstr")[0], re.M)
        )
        if not msgid:
            continue  # the header
        strs = re.findall(r'msgstr(?:\[\d\])?\s+((?:".*"\s*)+)', block)
        empty = not strs or any(not "".join(re.findall(r'"(.*)"', s)) for s in strs)
        if empty or re.search(r"^#,.*\bfuzzy\b", block, re.M):
            missing.append(msgid)
    return missing


def main() -> int:
    if not PO.exists():
        print(f"Catalogue introuvable : {PO}. Lancez `make messages` puis traduisez-le.")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "django.po"
        shutil.copy2(PO, backup)
        try:
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "makemessages",
                    "-l",
                    "en",
                    "--no-location",
                    "--ignore",
                    "static/vendor/*",
                    "--verbosity",
                    "0",
                ],
                cwd=ROOT / "musees",
                check=True,
            )
            extracted = PO.read_text(encoding="utf-8")
        finally:
            shutil.copy2(backup, PO)
    missing = untranslated(extracted)
    if missing:
        print(f"{len(missing)} chaîne(s) sans traduction anglaise (lancez `make messages`) :")
        for msgid in missing:
            print(f"  - {msgid}")
        return 1
    print("Traductions : toutes les chaînes de l'interface ont leur version anglaise.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
