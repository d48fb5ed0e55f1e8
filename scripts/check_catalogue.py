"""The French catalogue is complete: after extracting every user-facing string of the code as it is now, no
entry is untranslated or fuzzy. Run by ``make lint``; exits 1 with each missing entry and where it is used.

The extraction runs on a temporary copy of ``src/microreach/web`` (the tree is never modified), with
Django's ``makemessages`` as ``make messages`` runs it; it needs gettext (``xgettext``, ``msgmerge``).
Then the catalogue in the tree must compile (``msgfmt --check-format``: placeholders agree).

    .venv/bin/python scripts/check_catalogue.py          # or: make lint
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "microreach" / "web"
CATALOGUE = Path("locale") / "fr" / "LC_MESSAGES" / "django.po"


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        sys.exit(f"check_catalogue: {tool} not found: install gettext (Debian: apt-get install gettext)")


def extracted_catalogue(work: Path) -> Path:
    """The French catalogue as ``make messages`` would leave it, made in ``work``."""
    copy = work / "web"
    shutil.copytree(WEB, copy, ignore=shutil.ignore_patterns("__pycache__", "static", "*.pyc", "*.mo"))
    django_admin = Path(sys.executable).with_name("django-admin")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "microreach.web.settings"}
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "fr", "-i", "static/*", "--verbosity", "0"],
        cwd=copy,
        env=env,
        check=True,
    )
    return copy / CATALOGUE


def problems(po_path: Path) -> list[str]:
    """One line per untranslated or fuzzy entry (obsolete ones do not count)."""
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    out = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        first = message.id[0] if isinstance(message.id, tuple) else message.id
        where = ", ".join(f"{path}:{line}" for path, line in message.locations[:3]) or "?"
        if message.fuzzy:
            out.append(f"fuzzy         {first[:90]!r} ({where})")
        elif not all(strings):
            out.append(f"untranslated  {first[:90]!r} ({where})")
    return out


def main() -> int:
    for tool in ("xgettext", "msgmerge", "msgfmt"):
        _need(tool)
    subprocess.run(["msgfmt", "--check-format", "-o", os.devnull, str(WEB / CATALOGUE)], check=True, cwd=WEB)
    with tempfile.TemporaryDirectory(prefix="microreach-catalogue-") as work:
        found = problems(extracted_catalogue(Path(work)))
    if found:
        print(f"The French catalogue misses {len(found)} entr{'y' if len(found) == 1 else 'ies'}:")
        print("\n".join(f"  {line}" for line in found))
        print(f"Translate them at the end of {WEB.relative_to(ROOT) / CATALOGUE}, then compile the .mo.")
        return 1
    print("French catalogue: every entry translated, none fuzzy.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
