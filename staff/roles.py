"""Editorial roles: which permissions each group of staff has.

The groups are created by the data migration `wbportal/migrations/0001_roles.py` (with its own
frozen copy of these definitions) and kept in step with this module after every `migrate`
(staff/apps.py: permissions of models added later, e.g. by a new app migration, join the role
that covers them). `python manage.py grant_role USER ROLE` assigns them.
"""

from django.utils.translation import gettext_lazy as _

EDITOR = "Editor"
PUBLISHER = "Publisher"
DATA_MANAGER = "Data manager"

# Content an Editor writes: add, change and view; never delete, publish or import.
EDITORIAL_MODELS = [
    "regions.region",
    "regions.country",
    "regions.approachsection",
    "regions.office",
    "regions.contact",
    "projects.project",
    "projects.thematicarea",
    "projects.facility",
    "projects.organisation",
    "pages.page",
    "documents.document",
    "library.image",
]
# Models with a draft/published workflow; the Publisher holds their `publish_<model>` permission.
PUBLISHABLE_MODELS = [
    "regions.region",
    "regions.country",
    "regions.office",
    "regions.contact",
    "projects.project",
    "pages.page",
    "documents.document",
]
# Shared content without a workflow of its own that live pages show: Editors add these and
# change those no approved page uses; changing or deleting one a live page uses needs the
# `change_live_<model>` permission (staff/shared_content.py), which the Publisher holds.
SHARED_MODELS = [
    "library.image",
    "projects.organisation",
    "projects.thematicarea",
    "projects.facility",
]
# The publisher's identity (name, logo, address, licence): Publishers only.
PUBLISHER_ONLY_PERMISSIONS = ["pages.change_sitesettings", "pages.view_sitesettings"]
# An observation's area is a country or a region, chosen with the admin's autocomplete, which
# answers only users who may view the model it searches.
DATA_MANAGER_PERMISSIONS = ["regions.view_country", "regions.view_region"]
# Staged data releases (embargoes): a Publisher may see, reschedule and release them, as a
# Data manager may (who has the whole statistics app).
RELEASE_PERMISSIONS = [
    "statistics.view_datarelease",
    "statistics.change_datarelease",
    "statistics.release_datarelease",
]

# The site-wide audit log (the audit app), to read: Publishers. Nobody may add, change or
# delete an entry (audit/admin.py refuses it to everyone, administrators included).
AUDIT_LOG_PERMISSIONS = ["audit.view_auditentry"]


def _model_permissions(models, actions):
    return [
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label in models
        for action in actions
    ]


# The list of links in the content and where they are (the links app): everyone who writes.
LINK_REPORT_PERMISSIONS = ["links.view_linkuse"]
EDITOR_PERMISSIONS = [
    *_model_permissions(EDITORIAL_MODELS, ["add", "change", "view"]),
    *LINK_REPORT_PERMISSIONS,
]
PUBLISHER_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    *_model_permissions(EDITORIAL_MODELS, ["delete"]),
    *_model_permissions(PUBLISHABLE_MODELS, ["publish"]),
    *_model_permissions(SHARED_MODELS, ["change_live"]),
    *PUBLISHER_ONLY_PERMISSIONS,
    *RELEASE_PERMISSIONS,
    *AUDIT_LOG_PERMISSIONS,
]

# name -> (description, explicit permissions "app_label.codename", whole apps)
ROLES = {
    EDITOR: (
        _(
            "Writes regions' texts, countries, offices, contacts, projects, pages and "
            "documents; submits for review."
        ),
        EDITOR_PERMISSIONS,
        [],
    ),
    PUBLISHER: (
        _(
            "Everything an Editor does, plus publish, unpublish and delete, change images, "
            "organisations, thematic areas and facilities that live pages show, the site "
            "settings (name, logo, address, licence), releasing staged data and reading the "
            "audit log."
        ),
        PUBLISHER_PERMISSIONS,
        [],
    ),
    DATA_MANAGER: (
        # Every permission of the statistics app: sources, indicators, observations
        # (add/change/delete/view, hence CSV import and export) and whatever the app adds.
        # Viewing countries and regions lets them choose an observation's area.
        _(
            "Manages sources, indicators and observations; imports and exports CSV. Views "
            "countries and regions to choose an observation's area."
        ),
        [*DATA_MANAGER_PERMISSIONS, *LINK_REPORT_PERMISSIONS],
        ["statistics"],
    ),
}


def role_permissions(role, permission_model):
    """The Permission rows a role should have (only those that exist in the database)."""
    _description, explicit, whole_apps = ROLES[role]
    wanted = set()
    for dotted in explicit:
        app_label, codename = dotted.split(".", 1)
        wanted.add((app_label, codename))
    queryset = permission_model.objects.select_related("content_type")
    found = [
        permission
        for permission in queryset.filter(content_type__app_label__in={a for a, _c in wanted})
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    if whole_apps:
        found.extend(queryset.filter(content_type__app_label__in=whole_apps))
    return found


def missing_permissions(role, permission_model):
    """Explicit permissions of a role that do not exist (a typo or a missing migration)."""
    present = {
        (p.content_type.app_label, p.codename) for p in role_permissions(role, permission_model)
    }
    return sorted(dotted for dotted in ROLES[role][1] if tuple(dotted.split(".", 1)) not in present)


def sync_roles(group_model, permission_model):
    """Create the groups and give each exactly its role's permissions."""
    for role in ROLES:
        group, _created = group_model.objects.get_or_create(name=role)
        group.permissions.set(role_permissions(role, permission_model))
