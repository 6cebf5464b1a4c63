"""Fill the summed release time from the agreed logs already recorded."""

from types import SimpleNamespace

from django.db import migrations


def fill(apps, schema_editor):
    from coaching.services.release_time import recount

    m = SimpleNamespace(
        Enrolment=apps.get_model("programme", "Enrolment"),
        SchoolPlacement=apps.get_model("programme", "SchoolPlacement"),
        DialogueLog=apps.get_model("coaching", "DialogueLog"),
        CoachingTime=apps.get_model("coaching", "CoachingTime"),
        ReleaseTimeTotal=apps.get_model("coaching", "ReleaseTimeTotal"),
        User=apps.get_model("accounts", "User"),
    )
    recount(m, None)


class Migration(migrations.Migration):
    dependencies = [("coaching", "0010_release_time_totals")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
