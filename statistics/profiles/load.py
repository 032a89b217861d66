"""A profile by name or file, and an import through it (the command and the admin)."""

import json
from pathlib import Path
from typing import Unpack

from django.utils.translation import gettext as _

from ..imports.pipeline import RunOptions, import_observations
from ..imports.report import ImportReport
from ..models import ImportProfile
from .format import Profile, ProfileError, parse_profile
from .reshape import ProfileReader


def load_profile(reference: str) -> tuple[Profile, str]:
    """(Profile, label for the import record) for a saved profile's name or a file's path.

    A saved profile wins over a file of the same name; ProfileError if neither is found or
    the profile does not follow the format."""
    saved = ImportProfile.objects.filter(name=reference).first()
    if saved is not None:
        return saved.profile(), saved.name
    path = Path(reference)
    if not path.is_file():
        known = ", ".join(ImportProfile.objects.values_list("name", flat=True)) or _("none")
        raise ProfileError(
            [
                _(
                    "No saved import profile is named “%(name)s” and no such file exists. "
                    "Saved profiles: %(known)s."
                )
                % {"name": reference, "known": known}
            ]
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ProfileError(
            [_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error}]
        ) from None
    profile = parse_profile(text)
    return profile, _("%(name)s (file %(file)s)") % {"name": profile.name, "file": path.name}


def export_profile(saved: ImportProfile) -> str:
    """The JSON text of a saved profile, as a file to keep or load elsewhere."""
    definition = {**saved.definition, "name": saved.name}
    return json.dumps(definition, ensure_ascii=False, indent=2) + "\n"


def import_with_profile(
    data: bytes,
    profile: Profile,
    label: str = "",
    *,
    names: dict[str, str] | None = None,
    **options: Unpack[RunOptions],
) -> ImportReport:
    """import_observations() for a file read through `profile` (all or nothing, recorded)."""
    reader = ProfileReader(profile, names=names, label=label)
    return import_observations(data, reader=reader, profile=label or profile.name, **options)
