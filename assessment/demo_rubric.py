"""The words of the demo's "Masters level 7" rubric: seven criteria shaped by what the level 7
(masters) descriptors of the QAA's Framework for Higher Education Qualifications expect, each with
a descriptor for every UK band. Written for this portal; kept apart from the seeding code."""

from assessment.rules.rubrics import BandContent, CriterionContent, RubricContent

NAME = "Masters level 7"

BANDS = [
    BandContent("Distinction", 70, True),
    BandContent("Merit", 60, True),
    BandContent("Pass", 50, True),
    BandContent("Fail", 0, False),
]

# (title, guidance for markers, {band: what work in that band shows})
_CRITERIA = [
    (
        "Knowledge and critical awareness",
        "How well the participant knows the ideas behind their practice, including where those ideas are "
        "contested or still developing.",
        {
            "Distinction": "Commands the key ideas of the field and where they are disputed; uses that command to "
            "question assumptions in their own school's practice.",
            "Merit": "Knows the main ideas well and notices their limits, though the questions raised stay close "
            "to familiar ground.",
            "Pass": "Explains the relevant ideas accurately and links them to the classroom, with some sense that "
            "they can be challenged.",
            "Fail": "Ideas are described loosely or wrongly, or are not connected to the work discussed.",
        },
    ),
    (
        "Critical evaluation of research and evidence",
        "Weighing sources and data, not only reporting them: quality, fit to the context, what they cannot show.",
        {
            "Distinction": "Judges studies and school data on their merits, sets strong and weak evidence against "
            "each other and reaches a defended position of their own.",
            "Merit": "Compares sources with care and names their weaknesses; the position reached follows, if "
            "sometimes cautiously.",
            "Pass": "Uses suitable sources and notes at least some of their limits, though reporting outweighs "
            "judging.",
            "Fail": "Sources are listed or quoted without weighing them, or claims rest on opinion alone.",
        },
    ),
    (
        "Enquiry methodology",
        "The design of the practitioner enquiry: a question that can be answered, methods that suit it, ethics "
        "handled, and findings read with due caution.",
        {
            "Distinction": "A sharp question answered by a well-justified design; ethics and bias are handled "
            "with thought and the limits of the findings are stated plainly.",
            "Merit": "A clear question and a suitable design, carried out soundly; limitations are recognised if "
            "not fully explored.",
            "Pass": "A workable question and method, with ethics considered; some steps or conclusions go further "
            "than the data allow.",
            "Fail": "The question, method or ethics are missing or unsuited, so the findings cannot be relied on.",
        },
    ),
    (
        "Originality in applying knowledge to practice",
        "What the participant made of what they learned in their own setting, beyond following a recipe.",
        {
            "Distinction": "Adapts ideas inventively to the needs of their pupils and school, producing an "
            "approach others could learn from.",
            "Merit": "Tailors established approaches thoughtfully to the setting, with clear reasons for the "
            "choices made.",
            "Pass": "Applies recognised approaches sensibly, with some adjustment to the context.",
            "Fail": "Practice is copied without regard to the setting, or the link to what was learned is absent.",
        },
    ),
    (
        "Impact on pupils' outcomes",
        "Whether pupils learned or did better as a result, shown by evidence that fits the claim, including what "
        "coach and participant agreed in their dialogue logs.",
        {
            "Distinction": "Shows convincingly, from several kinds of evidence, how pupils' learning changed and "
            "why the change can be traced to the work.",
            "Merit": "Gives sound evidence of change for pupils and a reasoned account of the participant's part "
            "in it.",
            "Pass": "Reports some change for pupils with evidence, though the link to the work is partly assumed.",
            "Fail": "Claims about pupils are unsupported, or pupils' outcomes are not considered.",
        },
    ),
    (
        "Reflection",
        "Honest, searching thought about their own practice and development, drawing on coaching conversations.",
        {
            "Distinction": "Examines their own beliefs and habits candidly, learns from setbacks and shows how "
            "their thinking moved over time.",
            "Merit": "Reflects openly on what worked and what did not, and draws sensible next steps from it.",
            "Pass": "Describes their practice and some lessons learned, with reflection that stays mostly descriptive.",
            "Fail": "Little or no reflection, or an account of events without any learning drawn from them.",
        },
    ),
    (
        "Communication",
        "Structure, clarity, academic conventions and referencing, within the word guidance.",
        {
            "Distinction": "Fluent, well-organised and precise; argument and evidence are easy to follow and "
            "referencing is complete and consistent.",
            "Merit": "Clear and well structured, with accurate referencing and only minor lapses.",
            "Pass": "Understandable throughout, with an adequate structure and referencing that is mostly correct.",
            "Fail": "Hard to follow, poorly organised, or with referencing largely missing.",
        },
    ),
]

CONTENT = RubricContent(
    name=NAME,
    bands=BANDS,
    criteria=[
        CriterionContent(title=title, guidance=guidance, descriptors=descriptors)
        for title, guidance, descriptors in _CRITERIA
    ],
)
