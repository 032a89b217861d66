"""The note under figures a source gives for an area by its own name (`Observation.area_label`):
UNHCR's "Serbia and Kosovo: S/RES/1244 (1999)" is filed under Serbia, shown under that name on
Serbia's and Kosovo*'s pages alike, and the note says whom the name covers and that its
figures are not Serbia's alone."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import AreaName


@dataclass(frozen=True)
class AreaLabelNote:
    label: str
    text: str  # plain text: pages pass it through {% footnoted %} (Kosovo* gets its marker)


def _joined(names):
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def area_label_notes(observations):
    """One note per distinct (label, country filed under) among `observations`, in order of
    first appearance. Two queries when some observation has a label (the shared names and
    the countries they also cover), none otherwise."""
    wanted = {}
    for observation in observations:
        if observation is not None and observation.area_label:
            wanted.setdefault((observation.area_label, observation.country_id), observation)
    if not wanted:
        return []
    names = {
        (name.name, name.country_id): name
        for name in AreaName.objects.filter(name__in={label for label, _id in wanted})
        .select_related("country")
        .prefetch_related("also_covers")
    }
    notes = []
    for (label, country_id), observation in wanted.items():
        filed_under = str(observation.area)
        shared = names.get((label, country_id))
        covers = list(shared.also_covers.all()) if shared else []
        if covers:
            areas = [shared.country.display_name, *(c.display_name for c in covers)]
            text = _(
                "“%(label)s” is the source’s name for an area that covers %(areas)s together: "
                "these figures are not for %(country)s alone."
            ) % {"label": label, "areas": _joined(areas), "country": filed_under}
        else:
            text = _(
                "“%(label)s” is the area as the source names it; the portal files its figures "
                "under %(country)s."
            ) % {"label": label, "country": filed_under}
        notes.append(AreaLabelNote(label, text))
    return notes
