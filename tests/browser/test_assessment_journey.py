"""Journey 4 of PRODUCT.md, the whole of it, in Chromium: the participant's submitted work (with their
coach's supporting statement) waits in the tutor's queue; the tutor marks each criterion citing an
agreed coaching session and completes; the programme leader chooses it for second marking; the second
marker marks blind and completes; the marks fall in different bands, so the two markers agree a mark
with a note; the leader draws and confirms the external examiner's sample; the examiner, told on
their home what needs them, comments on the work, and the second marker reads the comment; the
leader releases the results; the participant reads the agreed result with what was cited and is
emailed; the tutor amends the released result with a reason; the participant is emailed again and
reads the amendment; their credits count the passed task. The tutor decides on progression: from
their home, confirming phase 1 complete is refused while its core task is not passed (before
release), and once it is released as a pass the home asks them to confirm it, which moves the
participant on to phase 2. axe-core finds no WCAG 2.2 A/AA violation on any page on the way."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from assessment.models import ExaminerComment, Marking, Moderation, PhaseCompletion
from assessment.services.statements import StatementContent, statement_save
from assessment.workflow import State
from programme.models import PhaseChange
from tests.assessment.marking.helpers import marking_world
from tests.assessment.moderation_helpers import second_marked
from tests.browser.conftest import watch_csp
from tests.browser.test_marking_journey import _page_for, _shows
from tests.factories import UserFactory
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"viewport": {"width": 1280, "height": 900}}
STATEMENT = "She now plans her questions around what pupils got wrong last lesson."
STRENGTHS = "A clear account of how the pause changed who answered."
DEVELOPMENT = "Weigh the evidence against other explanations."
SECOND_FEEDBACK = "SECOND-MARKER-ONLY-DEVELOPMENT"  # tests.assessment.moderation_helpers.second_marked
COMMENT = "The agreed merit is well founded; the citations carry the judgement."
AMENDMENT = "The first criterion was added up wrongly."


def _to_participant(world) -> list:
    return [m for m in mail.outbox if world.participant.email in m.to]


def test_journey_4_from_submission_to_amended_result_and_credits(live_server, browser):
    from accounts.roles import Role

    world = marking_world()
    examiner = UserFactory(roles=[Role.EXTERNAL_EXAMINER])
    for person in (world.tutor, world.other_tutor, world.leader, examiner):
        with_totp(person)  # tutors, leaders and examiners sign in with two factors
    statement_save(
        by=world.coach,
        submission=world.submission,
        version=None,
        content=StatementContent(
            practice=STATEMENT, outcomes="More pupils explain their reasoning.", log_ids=(world.log.pk,)
        ),
    )
    version = world.log.versions.get(number=world.log.agreed_version)
    refused: list[str] = []

    # The tutor finds the work in their queue and marks it, citing the agreed session on every criterion.
    tutor = _page_for(browser, live_server, world.tutor, **WIDE)
    refused += watch_csp(tutor)
    tutor.goto(live_server.url + "/marking/")
    tutor.get_by_role("link", name=f"Mark {world.task.title}", exact=False).click()
    _shows(tutor, STATEMENT)  # the coach's supporting statement beside the work
    tutor.get_by_role("button", name="Start marking").click()
    _shows(tutor, "Marking started.")
    first = Marking.objects.get(role="first")
    for criterion in first.rubric.criteria.order_by("sort_order", "pk"):
        section = tutor.locator(f"#criterion-{criterion.pk}")
        section.get_by_label("Mark out of 100").fill("64")
        section.get_by_label("Strengths").fill(STRENGTHS)
        section.get_by_label("Areas for development").fill(DEVELOPMENT)
        section.get_by_label(f"(version {version.number})", exact=False).check()
        section.get_by_role("button", name="Save").click()
        _shows(tutor, f"Saved your marking of “{criterion.title}”.")
    overall = tutor.locator("#overall")
    overall.get_by_label("Outcome").select_option("pass")
    overall.get_by_label("Feed-forward for the next piece of work").fill("Compare two classes next time.")
    overall.get_by_role("button", name="Save the overall result").click()
    tutor.get_by_role("button", name="Mark as complete").click()
    _shows(tutor, "The marking has moved on.")

    # The leader chooses it for second marking, by another tutor.
    leader = _page_for(browser, live_server, world.leader, **WIDE)
    refused += watch_csp(leader)
    leader.goto(f"{live_server.url}/marking/tasks/{world.task.pk}/release/")
    leader.get_by_role("link", name="Choose work for second marking").click()
    leader.get_by_label(f"Second marker for {world.participant}").select_option(str(world.other_tutor.pk))
    leader.get_by_role("button", name="Confirm second marking").click()
    _shows(leader, "Second marking confirmed")

    # The second marker marks blind (the criteria through the services: the forms are tested above).
    second = _page_for(browser, live_server, world.other_tutor, **WIDE)
    refused += watch_csp(second)
    second.goto(live_server.url + "/marking/moderation/")
    second.get_by_role("link", name="Second-mark", exact=False).click()
    second.get_by_role("button", name="Start second marking").click()
    assert STRENGTHS not in second.content()
    second_marked(world, 55, complete=False, words="SECOND-MARKER-ONLY")
    second.reload()
    second.get_by_role("button", name="Mark as complete").click()
    _shows(second, "The marking has moved on.")

    # 64 and 55 fall in different bands: the two markers reconcile them into an agreed mark, with a note.
    second.get_by_role("link", name="See the moderation").click()
    _shows(second, "The marks fall in different bands")
    second.get_by_label("Agreed mark out of 100").fill("60")
    second.get_by_label("Pass", exact=True).check()
    second.get_by_label("How the mark was reached").fill("We agreed a merit after rereading the evaluation.")
    second.get_by_role("button", name="Record the mark").click()
    _shows(second, "The mark that stands is recorded.")
    assert Moderation.objects.get().mark == 60

    # The leader draws the examiner's sample from the marked work and confirms it.
    leader.goto(f"{live_server.url}/examiner/tasks/{world.task.pk}/sample/")
    leader.get_by_label(str(examiner)).check()
    leader.get_by_role("button", name="Draw the sample").click()
    _shows(leader, "The sample is drawn.")
    leader.get_by_role("button", name="Confirm the sample").click()
    _shows(leader, "The sample is confirmed")

    # The examiner's home says what needs them; they read the pack and comment.
    external = _page_for(browser, live_server, examiner, **WIDE)
    refused += watch_csp(external)
    external.goto(f"{live_server.url}/programme/examiner/")
    _shows(external, "What needs you")
    external.get_by_role("link", name=f"Comment on 1 piece of work in the sample of {world.task.title}").click()
    external.get_by_role("link", name=str(world.participant), exact=False).click()
    _shows(external, "We agreed a merit after rereading the evaluation.")  # the moderation record
    external.get_by_label("Your comment on this work").fill(COMMENT)
    external.get_by_role("button", name="Save your comment").click()
    _shows(external, "Your comment is saved.")
    assert ExaminerComment.objects.get().text == COMMENT

    # The second marker reads the examiner's comment on the work they second-marked.
    second.goto(live_server.url + "/examiner/comments/")
    second.get_by_role("link", name=world.task.title).click()
    _shows(second, COMMENT)

    # Before release the phase cannot be confirmed: its core task is not passed (the ledger says which).
    tutor.goto(f"{live_server.url}/programme/my-participants/")
    tutor.get_by_role("link", name=f"Credits and progress of {world.participant}").click()
    _shows(tutor, f"{world.task.title}: Not passed yet")
    tutor.get_by_label("Note (optional)", exact=False).fill("Ready to move on.")
    tutor.get_by_role("button", name="Confirm phase 1 complete").click()
    _shows(tutor, f"the core task “{world.task.title}” has not been passed")
    expect(tutor.get_by_label("Note (optional)", exact=False)).to_have_value("Ready to move on.")
    assert not PhaseCompletion.objects.exists()

    # The leader releases the task's results; the participant is emailed and reads the agreed result.
    leader.goto(f"{live_server.url}/marking/tasks/{world.task.pk}/release/")
    leader.get_by_role("button", name="Release 1 result now").click()
    _shows(leader, "Released 1 result.")
    assert Marking.objects.get(role="agreed").state == State.RELEASED
    released = _to_participant(world)
    assert [("released" in m.subject) for m in released] == [True]
    assert "60" not in released[0].body  # an email never carries the mark

    participant = _page_for(browser, live_server, world.participant)
    refused += watch_csp(participant)
    participant.goto(f"{live_server.url}/marking/submissions/{world.submission.pk}/result/")
    expect(participant.get_by_role("heading", level=1)).to_contain_text("Result:")
    _shows(participant, "60")
    _shows(participant, DEVELOPMENT)
    _shows(participant, "What your tutor drew on")
    assert SECOND_FEEDBACK not in participant.content()  # never the second marker's feedback
    assert COMMENT not in participant.content()  # nor the examiner's words

    # The tutor amends the released result, with a reason; the participant is told and reads why.
    agreed = Marking.objects.get(role="agreed")
    criterion = agreed.rubric.criteria.order_by("sort_order", "pk").first()
    tutor.goto(f"{live_server.url}/marking/submissions/{world.submission.pk}/")
    _shows(tutor, "Agreed result (moderation)")
    section = tutor.locator(f"#criterion-{criterion.pk}")
    section.get_by_label("Mark out of 100").fill("70")
    section.get_by_role("button", name=f"Amend “{criterion.title}”").click()
    _shows(tutor, "say why it is being made")  # no amendment without a reason; nothing saved
    assert agreed.criterion_marks.get(criterion=criterion).mark == 64
    section = tutor.locator(f"#criterion-{criterion.pk}")
    expect(section.get_by_label("Mark out of 100")).to_have_value("70")
    section.get_by_label("Why this change is made").fill(AMENDMENT)
    section.get_by_role("button", name=f"Amend “{criterion.title}”").click()
    _shows(tutor, f"Saved your marking of “{criterion.title}”.")
    assert agreed.criterion_marks.get(criterion=criterion).mark == 70
    assert [("amended" in m.subject) for m in _to_participant(world)] == [False, True]
    participant.reload()
    _shows(participant, "Amendments since release")
    _shows(participant, AMENDMENT)

    # The passed task counts towards the participant's credits.
    participant.goto(f"{live_server.url}/assessment/participants/{world.enrolment.pk}/credits/")
    _shows(participant, f"{world.task.credits} of")

    # The tutor's home now asks them to confirm the phase; they do, and the participant moves on.
    tutor.goto(f"{live_server.url}/programme/my-participants/")
    tutor.get_by_role("link", name="Confirm phase 1 complete").click()
    _shows(tutor, f"{world.task.title}: Passed")
    tutor.get_by_label("Note (optional)", exact=False).fill("The enquiry is passed: on to phase 2.")
    tutor.get_by_role("button", name="Confirm phase 1 complete").click()
    _shows(tutor, "Phase 1 confirmed complete.")
    world.enrolment.refresh_from_db()
    assert world.enrolment.current_phase.number == 2
    change = PhaseChange.objects.get(enrolment=world.enrolment)
    assert (change.decided_by, change.note) == (world.tutor, "The enquiry is passed: on to phase 2.")
    assert PhaseCompletion.objects.get(enrolment=world.enrolment).phase_change == change
    participant.goto(f"{live_server.url}/programme/my-programme/")
    _shows(participant, "Phase 1: Complete")
    assert refused == []
