"""A believable portfolio for the demo participant, made through the portfolio services as they
would make it: evidence in every content area (written pieces, links, tagged to the sessions they
came from), reflections that draw on them, and one enquiry with its first sections written.

Only the fixed demo login gets one, after coaching.demo has given them agreed sessions; the seed
stays fast however many participants bench/seed_demo.sh loads. Safe to run again: a participant
who already has evidence is left alone.
"""

import datetime

from coaching.models import AgreementStatus, DialogueLog
from portfolio import services
from portfolio.models import Evidence
from programme.demo import participant_email
from programme.models import ContentArea, Enrolment

# (content area number, kind, title, what it is): one or two per area, in the participant's words.
EVIDENCE = [
    (1, "written", "Hinge questions in Year 8", "Three hinge questions I tried, and how the class split on each."),
    (1, "link", "Exit-ticket template", "The template our department now uses at the end of a lesson."),
    (2, "written", "Re-sequencing the fractions unit", "Why I moved equivalence before addition this year."),
    (3, "written", "Seating plan for a mixed class", "What changed after pairing pupils new to English."),
    (3, "link", "Guidance on supporting pupils with EAL", "The guidance I read before re-planning my seating."),
    (4, "written", "Leading a department moderation meeting", "Notes from the first moderation meeting I ran."),
]

REFLECTIONS = [
    (
        "Waiting before taking answers",
        "After my coach watched my Year 8 lesson I counted my pauses. They were under two seconds.\n\n"
        "This week I waited longer and used mini-whiteboards; quieter pupils answered first.",
    ),
    (
        "Running a meeting with colleagues who have taught longer than me",
        "I prepared the samples in advance and asked each colleague to mark one blind.\n\n"
        "Agreeing the middle band took longest; next time I will start there.",
    ),
]

ENQUIRY_TITLE = "Does a longer pause change who answers in Year 8?"
ENQUIRY_SECTIONS = {
    "question": "Will pausing for five seconds after a question bring more pupils into answering?",
    "rationale": "A handful of confident pupils answer most of my questions, so I know little about the rest.",
    "reading": "I read about wait time and about no-hands questioning, and noted what each claimed for pupils.",
    "method": "Two Year 8 classes for four weeks: one with a timed pause, one as before; a tally of who answered.",
}


def seed_portfolio(*, today: datetime.date) -> int:
    """The demo participant's portfolio; how many records were made (none on a second run)."""
    enrolment = Enrolment.objects.filter(participant__email=participant_email(1)).select_related("participant").first()
    if enrolment is None or Evidence.objects.filter(enrolment=enrolment).exists():
        return 0
    participant = enrolment.participant
    logs = list(
        DialogueLog.objects.filter(enrolment=enrolment, status=AgreementStatus.AGREED, session_on__lte=today)
        .prefetch_related("content_areas")
        .order_by("session_on", "pk")
    )
    areas = {area.number: area.pk for area in ContentArea.objects.all()}
    phase_id = enrolment.current_phase_id
    made = []
    for index, (area, kind, title, description) in enumerate(EVIDENCE):
        log = logs[index % len(logs)] if logs else None
        day = log.session_on if log else today - datetime.timedelta(days=7 * (len(EVIDENCE) - index))
        content = services.EvidenceContent(
            kind=kind,
            title=title,
            relates_to=day,
            phase_id=phase_id,
            content_area_ids=(areas[area],),
            description=description,
            body=f"{description}\n\nWhat I will keep: the parts that pupils' work showed were worth the time."
            if kind == "written"
            else "",
            url=f"https://example.org/demo/{index + 1}" if kind == "link" else "",
            anonymised=kind == "written",
            log_ids=(log.pk,) if log else (),
        )
        made.append(services.evidence_create(by=participant, enrolment=enrolment, content=content))
    for index, (title, body) in enumerate(REFLECTIONS):
        log = logs[-1 - index] if len(logs) > index else None
        reflection = services.ReflectionContent(
            written_on=log.session_on if log else today,
            title=title,
            body=body,
            phase_id=phase_id,
            content_area_ids=(areas[1 if index == 0 else 4],),
            evidence_ids=(made[0 if index == 0 else 5].pk,),
            log_ids=(log.pk,) if log else (),
        )
        services.reflection_create(by=participant, enrolment=enrolment, content=reflection)
    started_on = logs[0].session_on if logs else today
    enquiry = services.enquiry_create(
        by=participant,
        enrolment=enrolment,
        content=services.EnquiryContent(
            title=ENQUIRY_TITLE, started_on=started_on, phase_id=phase_id, content_area_ids=(areas[1],)
        ),
    )
    for section, text in ENQUIRY_SECTIONS.items():
        cites_log = section == "method" and logs
        enquiry = services.enquiry_section_save(
            by=participant,
            enquiry=enquiry,
            section=section,
            version=enquiry.version,
            content=services.SectionContent(
                text=text,
                evidence_ids=(made[0].pk,) if section == "rationale" else (),
                log_ids=(logs[0].pk,) if cites_log else (),
            ),
        )
    return len(made) + len(REFLECTIONS) + 1
