"""The group that gives programme leaders the CMS and the programme admin. Membership follows
the programme leader role (accounts.services.role_grant)."""

from django.db import migrations

MODEL_PERMISSIONS = {
    "programme": ["school", "cohort", "eligibilityrule", "enrolment", "phase", "contentarea", "topic",
                  "standardframework", "standard", "challengecategory", "staffmembership",
                  "schoolplacement", "coachassignment", "tutorassignment", "programmesettings"],
    "accounts": ["invitation"],
}


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally made after all migrations; make them now so the group can hold them.
    for config in apps.get_app_configs():
        config.models_module = True
        create_contenttypes(config, verbosity=0, apps=apps)
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Programme leaders")
    perms = list(Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin"))
    for app_label, models in MODEL_PERMISSIONS.items():
        perms += list(Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models))
    for app_label in ("wagtailimages", "wagtaildocs"):
        perms += list(Permission.objects.filter(content_type__app_label=app_label))
    group.permissions.add(*perms)

    # Page permissions over the whole tree, and collection permissions for images and documents.
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Page.objects.filter(depth=1).first()
    if root is not None:
        for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page", "delete_page"):
            perm = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if perm:
                GroupPagePermission.objects.get_or_create(group=group, page=root, permission=perm)
    collection = Collection.objects.filter(depth=1).first()
    if collection is not None:
        for perm in Permission.objects.filter(
            content_type__app_label__in=["wagtailimages", "wagtaildocs"],
            codename__in=["add_image", "change_image", "choose_image", "add_document", "change_document",
                          "choose_document"],
        ):
            GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=perm)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("programme", "0002_seed_programme"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
