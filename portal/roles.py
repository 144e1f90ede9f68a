"""The two roles beyond ordinary staff, as Django groups, and what each may do. Pages check the permissions, never
a group's name, so renaming a group in the admin changes nothing."""

HR = "HR"
CONTENT_EDITORS = "Content editors"

# The portal's own permissions (beyond each model's view/add/change/delete), as pages check them.
VIEW_HR_REPORTS = "cycles.view_hr_reports"  # the HR dashboard, staff list, downloads, reminders pages
IMPORT_STAFF = "directory.import_staff"
EDIT_GUIDANCE = "guidance.change_guidanceversion"  # the admin's guidance, and seeing drafts

# (app label, model) -> actions, per role. Acknowledgements are only ever viewed: nobody changes or deletes them.
# Outgoing email is viewed, and a failed one sent again ("retry"), never edited or deleted.
ROLE_PERMISSIONS = {
    CONTENT_EDITORS: {
        ("guidance", "principle"): ("view", "change"),
        ("guidance", "guidanceversion"): ("view", "add", "change"),
        ("guidance", "section"): ("view", "add", "change", "delete"),
        ("assessments", "question"): ("view", "add", "change"),
        ("assessments", "option"): ("view", "add", "change", "delete"),
        ("cycles", "cycle"): ("view", "add", "change"),
        ("legal", "legalpage"): ("view", "change"),
        ("outbox", "outgoingemail"): ("view", "retry"),
        ("xliff", "translationimport"): ("view", "add"),  # export a draft for translation and bring the Welsh back
        ("xliff", "translationexport"): ("view", "add"),
        ("xliff", "linkpair"): ("view", "add", "change", "delete"),  # a Welsh link that stands for an English one
    },
    HR: {
        ("cycles", "cycle"): ("view", "add", "change"),
        ("assessments", "acknowledgement"): ("view",),
        ("directory", "department"): ("view", "add", "change"),
        ("portal", "user"): ("view",),
        ("cycles", "exemption"): ("view", "add", "change"),
        ("outbox", "outgoingemail"): ("view", "retry"),
    },
}


# The portal's own permissions per role, as "app_label.codename".
CUSTOM_PERMISSIONS = {
    HR: (VIEW_HR_REPORTS, IMPORT_STAFF),
}


def grant_role_permissions(sender, using="default", apps=None, **kwargs):
    """Create the role groups (if missing) and give them exactly their permissions. Safe to run repeatedly.

    Runs after this app migrates and first creates every app's permissions itself (Django would create them only as
    each later app's own post_migrate runs), so the groups are complete whatever the order of INSTALLED_APPS."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps or global_apps)
    models = apps or global_apps
    Group = models.get_model("auth", "Group")
    Permission = models.get_model("auth", "Permission")
    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        codenames = [(app, f"{action}_{model}") for (app, model), actions in grants.items() for action in actions]
        codenames += [(app, codename) for app, codename in (p.split(".", 1) for p in CUSTOM_PERMISSIONS.get(role, ()))]
        permissions = [
            permission
            for app, codename in codenames
            for permission in Permission.objects.using(using).filter(content_type__app_label=app, codename=codename)
        ]
        group.permissions.set(permissions)
