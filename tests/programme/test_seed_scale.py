"""The provider-sized demo (`seed_scale`): schools each with a head and a coach, every participant
placed, coached and tutored, with a coaching history that keeps the programme's dates, evidence and
released results; and a second run that changes nothing."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection
from django.db.models import Count, Max, Min
from django.test.utils import override_settings
from django.utils import timezone

from accounts.roles import Role
from assessment.models import Marking, Submission
from assessment.workflow import State
from coaching import demo_scale as coaching_scale
from coaching.models import ActionStep, AgreementStatus, DialogueLog, ReleaseTimeTotal
from portfolio import search
from portfolio.models import Evidence
from programme import demo_scale
from programme.models import CoachAssignment, ContentArea, Enrolment, School, StaffMembership, TutorAssignment
from tests.seeded_once import shared_by_the_module

pytestmark = pytest.mark.django_db

PARTICIPANTS, SCHOOLS = 75, 14


@pytest.fixture(autouse=True)
def _debug_on(settings):
    settings.DEBUG = True  # like seed_demo, it refuses otherwise


def seed() -> str:
    out = io.StringIO()
    call_command("seed_scale", participants=PARTICIPANTS, schools=SCHOOLS, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> str:
    """What the first run printed. Seeded once for the module (the slow part: about a minute at a
    provider's size, seconds at this one); each test runs in a savepoint rolled back after it."""
    with shared_by_the_module(django_db_blocker):
        with override_settings(DEBUG=True):
            output = seed()
        yield output


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def search_indexes() -> set[str]:
    """The GIN (full-text search) indexes of the tables the scale demo loads with them set aside."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            " AND tablename = ANY(%s) AND indexdef LIKE %s",
            [[DialogueLog._meta.db_table, Evidence._meta.db_table], "% USING gin %"],
        )
        return {name for (name,) in cursor.fetchall()}


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the GIN search indexes exist on PostgreSQL only"
)


def test_the_scale_demo_is_a_whole_provider_whose_records_keep_the_programmes_rules(seeded):
    """One seed, checked as a whole."""
    output = seeded
    today = timezone.localdate()

    assert Enrolment.objects.count() == PARTICIPANTS
    assert School.objects.count() == SCHOOLS
    for school in School.objects.filter(urn__gte=str(demo_scale.SCALE_URN_FROM)):
        roles = set(StaffMembership.objects.filter(school=school).values_list("role", flat=True))
        assert roles == {Role.HEAD, Role.COACH}, school
    assert "took" in output

    for enrolment in Enrolment.objects.all():
        assert enrolment.school_placements.covering(today).count() == 1, enrolment
        assert CoachAssignment.objects.filter(enrolment=enrolment).covering(today).count() == 1, enrolment
        assert TutorAssignment.objects.filter(enrolment=enrolment).covering(today).count() == 1, enrolment

    scale_logs = DialogueLog.objects.filter(discussed=coaching_scale.DISCUSSED)

    assert scale_logs.count() > PARTICIPANTS  # several sessions each
    for log in scale_logs.select_related("enrolment"):
        assert log.status == AgreementStatus.AGREED
        assert log.versions.get().number == log.agreed_version == 1
        assert log.enrolment.programme_started_on <= log.session_on <= today
        coach_then = CoachAssignment.objects.filter(enrolment=log.enrolment).covering(log.session_on).get()
        assert log.coach_id == coach_then.coach_id
    counted = scale_logs.annotate(
        areas=Count("content_areas", distinct=True), steps=Count("action_steps", distinct=True)
    )
    assert all(1 <= log.areas <= 2 and 1 <= log.steps <= 2 for log in counted)
    assert ReleaseTimeTotal.objects.exists()  # recounted from the logs loaded in bulk

    for enrolment_id in ActionStep.objects.values_list("enrolment_id", flat=True).distinct():
        steps = ActionStep.objects.filter(enrolment_id=enrolment_id)
        latest = steps.aggregate(day=Max("log__session_on"))["day"]
        if not DialogueLog.objects.filter(enrolment_id=enrolment_id, discussed=coaching_scale.DISCUSSED).exists():
            continue  # the ordinary demo's own stories
        assert not steps.filter(status=ActionStep.Status.OPEN).exclude(log__session_on=latest).exists()

    first = Evidence.objects.values("enrolment_id").annotate(first=Min("relates_to"))
    starts = dict(Enrolment.objects.values_list("pk", "programme_started_on"))
    assert first
    assert all(row["first"] >= starts[row["enrolment_id"]] for row in first)
    released = Marking.objects.filter(state=State.RELEASED, role=Marking.Role.FIRST)
    assert released.count() >= PARTICIPANTS // 2
    for marking in released.select_related("submission"):
        assert marking.submission.state == Submission.State.SUBMITTED
        assert marking.outcome in {"pass", "refer", "fail"}

    # What was loaded in bulk is found by the search, as if the services had saved it.
    if connection.vendor == "postgresql":
        assert search_indexes() == {"coaching_dialoguelog_search_gin", "portfolio_evidence_search_gin"}
    log = scale_logs.select_related("coach", "enrolment__participant").latest("session_on", "pk")
    found = {(row["result_kind"], row["result_id"]) for row in search.matches(log.coach, "lesson together")}
    assert ("log", log.pk) in found
    evidence = Evidence.objects.filter(enrolment=log.enrolment).first()
    found = {(row["result_kind"], row["result_id"]) for row in search.matches(log.enrolment.participant, "pupils")}
    assert ("evidence", evidence.pk) in found


def test_running_it_again_changes_nothing(seeded):
    before = model_counts()

    seed()

    assert model_counts() == before


def checks() -> tuple[set[str], set[str], set[str]]:
    """The GIN (search) indexes, every index, and the foreign keys of the tables the coaching
    histories and evidence are loaded into."""
    tables = [
        DialogueLog._meta.db_table,
        ActionStep._meta.db_table,
        DialogueLog.content_areas.through._meta.db_table,
        Evidence._meta.db_table,
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s)", [tables])
        indexes = {name for (name,) in cursor.fetchall()}
        cursor.execute(
            "SELECT k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
            " WHERE k.contype = 'f' AND c.relname = ANY(%s)",
            [tables],
        )
        foreign_keys = {name for (name,) in cursor.fetchall()}
    return search_indexes(), indexes, foreign_keys


@postgresql_only
def test_the_search_indexes_and_foreign_keys_come_back_when_the_load_fails_midway():
    before = checks()
    assert all(before)
    during = None

    def load_that_fails():
        nonlocal during
        with demo_scale.checks_set_aside(DialogueLog, DialogueLog.content_areas.through, ActionStep, Evidence):
            during = checks()
            raise RuntimeError("the load failed")

    with pytest.raises(RuntimeError):
        load_that_fails()

    search, indexes, foreign_keys = during  # set aside for the load: all but the primary and unique keys
    assert search == foreign_keys == set()
    assert indexes
    assert all(name.endswith(("_pkey", "_uniq")) for name in indexes)
    assert checks() == before


@postgresql_only
def test_the_search_indexes_and_foreign_keys_are_put_back_after_a_load():
    before = checks()

    with demo_scale.checks_set_aside(DialogueLog, DialogueLog.content_areas.through, ActionStep, Evidence):
        pass

    assert checks() == before


@postgresql_only
def test_a_row_loaded_while_its_foreign_key_is_set_aside_is_still_checked_when_the_key_comes_back():
    Through = DialogueLog.content_areas.through
    area = ContentArea.objects.first()
    before = checks()

    def load_a_row_naming_no_log():
        with demo_scale.checks_set_aside(Through):
            demo_scale.copy_rows(Through, ["dialoguelog_id", "contentarea_id"], [(987654321, area.pk)])

    with pytest.raises(IntegrityError):
        load_a_row_naming_no_log()

    assert checks() == before
    assert not Through.objects.filter(dialoguelog_id=987654321).exists()


def test_refused_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        seed()
