"""The Wagtail group that gives programme leaders the CMS and the programme admin.

Kept in step after every `migrate` (and every test flush) by a post_migrate handler, so the
group and its permissions always match this file. Membership follows the programme leader role
(accounts.services.role_grant).
"""

from django.contrib.auth.models import Group, Permission

from accounts.roles import PROGRAMME_LEADERS_GROUP

_MODEL_PERMISSIONS = {
    "programme": None,  # every programme model
    "accounts": ["invitation"],
    # The programme leader sets assessment up; submissions and marks are reached through their own pages.
    "assessment": ["rubric", "gradeband", "criterion", "descriptor", "assessmenttask", "extension"],
    "wagtailimages": None,
    "wagtaildocs": None,
}
_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "delete_page"]
_COLLECTION_PERMISSIONS = [
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
]


def on_post_migrate(app_config, **kwargs) -> None:
    """post_migrate fires once per app; act on the last, when every app's permissions exist."""
    from django.apps import apps

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if app_config.label == last.label:
        ensure_programme_leaders_group()


def ensure_programme_leaders_group() -> Group:
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name=PROGRAMME_LEADERS_GROUP)
    perms = list(Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))
    for app_label, models in _MODEL_PERMISSIONS.items():
        qs = Permission.objects.filter(content_type__app_label=app_label)
        if models is not None:
            qs = qs.filter(content_type__model__in=models)
        perms += list(qs)
    group.permissions.add(*perms)

    root = Page.get_first_root_node()
    if root is not None:
        for perm in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=_PAGE_PERMISSIONS):
            GroupPagePermission.objects.get_or_create(group=group, page=root, permission=perm)
    collection = Collection.get_first_root_node()
    if collection is not None:
        for perm in Permission.objects.filter(codename__in=_COLLECTION_PERMISSIONS):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=perm)
    return group
