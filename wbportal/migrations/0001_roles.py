from django.contrib.auth.management import create_permissions
from django.db import migrations

# The roles as this migration creates them, frozen here so that the migration never changes
# when staff/roles.py does; every later `migrate` brings the groups in step with that module
# (staff/apps.py). Role name -> (explicit "app_label.codename" permissions, whole apps).
_EDITORIAL_MODELS = [
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
_PUBLISHABLE_MODELS = [
    "regions.region",
    "regions.country",
    "regions.office",
    "regions.contact",
    "projects.project",
    "pages.page",
    "documents.document",
]


def _model_permissions(models, actions):
    return [
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label in models
        for action in actions
    ]


_EDITOR_PERMISSIONS = [
    *_model_permissions(_EDITORIAL_MODELS, ["add", "change", "view"]),
    "links.view_linkuse",
]
ROLES = {
    "Editor": (_EDITOR_PERMISSIONS, []),
    "Publisher": (
        [
            *_EDITOR_PERMISSIONS,
            *_model_permissions(_EDITORIAL_MODELS, ["delete"]),
            *_model_permissions(_PUBLISHABLE_MODELS, ["publish"]),
            "pages.change_sitesettings",
            "pages.view_sitesettings",
            "statistics.view_datarelease",
            "statistics.change_datarelease",
            "statistics.release_datarelease",
        ],
        [],
    ),
    "Data manager": (
        ["regions.view_country", "regions.view_region", "links.view_linkuse"],
        ["statistics"],
    ),
}


def _role_permissions(role, permission_model):
    explicit, whole_apps = ROLES[role]
    wanted = {tuple(dotted.split(".", 1)) for dotted in explicit}
    queryset = permission_model.objects.select_related("content_type")
    found = [
        permission
        for permission in queryset.filter(content_type__app_label__in={a for a, _c in wanted})
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    if whole_apps:
        found.extend(queryset.filter(content_type__app_label__in=whole_apps))
    return found


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _created = group_model.objects.get_or_create(name=role)
        group.permissions.set(_role_permissions(role, permission_model))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("regions", "0002_publishing_history"),
        ("projects", "0002_publishing_history"),
        ("statistics", "0002_history"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
