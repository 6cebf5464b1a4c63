"""The words of the demo's coaching histories (coaching.demo): one enquiry per demo participant,
and the stages a year of coaching goes through. Every sentence is written for the demo; each
stage's text names its participant's class, pupils or strategy, so no two records read the same."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Enquiry:
    """One participant's enquiry, in the words the stages fill in."""

    cls: str  # the class the enquiry is about
    pupils: str  # the pupils it watches
    question: str  # the enquiry question
    strategy: str  # what the participant tries
    evidence: str  # what they collect
    seen: str  # what the first try showed
    colleague: str  # who they learn from outside the classroom
    need: str  # the need the initial diagnosis found
    areas: tuple[int, int]  # content areas: the enquiry's main one, then a second
    standards: tuple[str, str]


ENQUIRIES = [
    Enquiry(
        cls="Year 8 maths",
        pupils="six pupils whose written answers stall after the first step of a problem",
        question="does modelling written reasoning live help pupils explain multi-step answers?",
        strategy="building worked examples live under the visualiser",
        evidence="the pupils' exercise books and the class tracker",
        seen="four of the six wrote a complete two-step explanation for the first time",
        colleague="the maths lead at Saltmarsh Lane, who teaches reasoning with bar models",
        need="explaining mathematical reasoning in writing, not only orally",
        areas=(1, 2),
        standards=("TS2", "TS6"),
    ),
    Enquiry(
        cls="Year 9 English",
        pupils="eight boys who write less than half a page in extended answers",
        question="do short, timed planning routines lengthen and organise extended writing?",
        strategy="a three-minute planning grid before every extended answer",
        evidence="dated drafts and a word count for each piece",
        seen="five of the eight planned before writing without being reminded",
        colleague="a literacy consultant running a writing network for local schools",
        need="supporting reluctant writers to sustain an argument",
        areas=(2, 1),
        standards=("TS3", "TS5"),
    ),
    Enquiry(
        cls="Year 10 chemistry",
        pupils="pupils who can recite the particle model but not apply it to new reactions",
        question="do prediction questions before practical work deepen understanding of the particle model?",
        strategy="asking pupils to predict and sketch particles before each practical",
        evidence="prediction sheets kept beside the practical write-ups",
        seen="most predictions now name particles, though few mention energy",
        colleague="a science technician and teacher at Ashby Fold who run a practical skills club",
        need="moving pupils from recall to applying a model",
        areas=(1, 2),
        standards=("TS4", "TS2"),
    ),
    Enquiry(
        cls="Year 7 history",
        pupils="pupils with English as an additional language who rarely speak in class discussion",
        question="do structured talk partners raise the contributions of pupils new to English?",
        strategy="assigned talk partners with sentence frames for each discussion",
        evidence="a tally of spoken contributions and short recordings of pair talk",
        seen="three pupils who had not spoken in whole-class discussion offered an answer",
        colleague="the EAL coordinator at Whinberry, who runs a welcome programme for new arrivals",
        need="including pupils new to English in talk-heavy lessons",
        areas=(3, 1),
        standards=("TS5", "TS1"),
    ),
    Enquiry(
        cls="Year 11 geography",
        pupils="pupils predicted a grade 4 who lose marks on the longest exam answers",
        question="does marking against a shared success ladder improve nine-mark answers?",
        strategy="a success ladder pupils use to mark each other's nine-mark answers",
        evidence="practice answers marked by pupils and then by the teacher",
        seen="peer marks and teacher marks agreed within a level for most pairs",
        colleague="an examiner from the local sixth-form college who moderates coursework",
        need="using assessment data to target exam technique",
        areas=(1, 4),
        standards=("TS6", "TS2"),
    ),
    Enquiry(
        cls="Year 8 French",
        pupils="pupils who avoid answering for fear of mispronouncing words",
        question="does low-stakes choral practice build confidence in spoken French?",
        strategy="daily choral drills followed by answers on mini whiteboards",
        evidence="a confidence survey at the start and end of each half term, and spoken quiz scores",
        seen="hands went up more often, and the survey showed fewer pupils afraid of mistakes",
        colleague="a language assistant shared with two other schools in the trust",
        need="creating a classroom where mistakes are safe",
        areas=(3, 2),
        standards=("TS7", "TS1"),
    ),
    Enquiry(
        cls="Year 9 computing",
        pupils="pupils who copy code from examples without being able to change it",
        question="does predicting what code will do before running it improve debugging?",
        strategy="a predict, run, investigate routine for every new program",
        evidence="screenshots of pupils' predictions and the bugs they fixed",
        seen="pupils fixed their own errors more often before asking for help",
        colleague="a software developer from a local employer who volunteers at code club",
        need="teaching problem solving rather than copying",
        areas=(2, 4),
        standards=("TS3", "TS4"),
    ),
    Enquiry(
        cls="Year 10 PE",
        pupils="girls in the class whose attendance at practical lessons has dropped",
        question="does giving pupils choice of activity and role raise participation?",
        strategy="rotating roles of coach, official and performer with a choice of activity",
        evidence="registers of participation and a short pupil voice questionnaire",
        seen="participation rose in the weeks pupils chose the activity",
        colleague="a youth sports development officer from the county partnership",
        need="re-engaging pupils who have switched off from practical lessons",
        areas=(3, 4),
        standards=("TS1", "TS7"),
    ),
    Enquiry(
        cls="Year 7 science",
        pupils="pupils whose reading age is two or more years below their age",
        question="does pre-teaching key vocabulary help weaker readers follow science texts?",
        strategy="pre-teaching five key words with pictures before each new topic",
        evidence="vocabulary quizzes and annotated reading tasks",
        seen="most of the group used the key words correctly in written answers",
        colleague="the SENCo, who leads reading interventions across the school",
        need="making subject texts accessible to weaker readers",
        areas=(2, 3),
        standards=("TS5", "TS3"),
    ),
    Enquiry(
        cls="Year 9 art",
        pupils="pupils who give up on a piece when the first attempt goes wrong",
        question="does reviewing work in progress with a critique protocol build persistence?",
        strategy="a kind, specific and helpful gallery critique halfway through each project",
        evidence="photographs of each stage of the work and pupils' written responses to critique",
        seen="more pupils made a second draft instead of starting over",
        colleague="an artist in residence working with the local gallery's schools programme",
        need="building pupils' resilience through feedback",
        areas=(1, 3),
        standards=("TS6", "TS8"),
    ),
    Enquiry(
        cls="Year 8 religious education",
        pupils="pupils whose written answers give opinions without reasons",
        question="does a structured debate before writing help pupils justify their views?",
        strategy="a short structured debate with evidence cards before each written task",
        evidence="written answers before and after the debates, marked for reasons given",
        seen="answers gave at least one reason far more often after a debate",
        colleague="a philosophy for children trainer who works with the partnership",
        need="teaching pupils to reason, not just to state a view",
        areas=(1, 2),
        standards=("TS4", "TS2"),
    ),
    Enquiry(
        cls="Year 10 design and technology",
        pupils="pupils who leave evaluation of their product until the last lesson",
        question="do short weekly evaluation logs improve the quality of final evaluations?",
        strategy="a five-minute evaluation log at the end of every practical lesson",
        evidence="the weekly logs and the final evaluations from last year and this year",
        seen="final evaluations referred to testing and changes made along the way",
        colleague="a product designer from a manufacturer that hosts work experience",
        need="planning a project so reflection happens throughout",
        areas=(2, 4),
        standards=("TS4", "TS8"),
    ),
    Enquiry(
        cls="Year 7 music",
        pupils="pupils who have never played an instrument and hang back in ensemble work",
        question="does teaching a short riff by ear before notation help beginners join in?",
        strategy="learning each riff by ear and by imitation before showing any notation",
        evidence="recordings of the ensemble at the start and end of each unit",
        seen="every beginner played in the final ensemble recording",
        colleague="the county music service's whole-class instrumental tutor",
        need="including beginners alongside pupils who already play",
        areas=(3, 1),
        standards=("TS5", "TS1"),
    ),
    Enquiry(
        cls="Year 11 biology",
        pupils="pupils who revise by rereading notes and forget content within weeks",
        question="does regular retrieval practice improve how much pupils remember at the mocks?",
        strategy="ten-minute low-stakes retrieval quizzes spaced across the term",
        evidence="quiz scores over time and the topic-level results of the mock exam",
        seen="scores on topics quizzed three times were well above the others",
        colleague="a research school's lead on memory and revision",
        need="helping pupils revise in ways that last",
        areas=(1, 4),
        standards=("TS2", "TS6"),
    ),
]


@dataclass(frozen=True)
class Step:
    """An action step agreed at a stage: owned by the participant or the coach."""

    description: str
    success: str
    done: str  # the note when it is closed as done
    by_coach: bool = False
    days: int = 14


@dataclass(frozen=True)
class Stage:
    kind: str
    minutes: int
    focus: str
    discussed: str
    strengths: str
    pupil_outcomes: str
    reflection: str
    steps: tuple[Step, ...]


# Each stage is one session; a participant's history takes the first few, in order.
STAGES = [
    Stage(
        kind="coaching_conversation",
        minutes=45,
        focus="Starting the enquiry in {cls}: {question}",
        discussed="<p>We looked at {evidence} for {cls} and picked out {pupils}.</p>"
        "<p>We agreed what to look for before trying anything new.</p>",
        strengths="<p>A clear sense of which pupils to watch in {cls}, and honest about what is not working yet.</p>",
        pupil_outcomes="<p>A baseline for {pupils}: what they manage now, before any change.</p>",
        reflection="Choosing {pupils} made the enquiry feel manageable. I want to see what they do before I change it.",
        steps=(
            Step(
                "Collect a baseline from {evidence} for the pupils in {cls} we chose.",
                "Baseline work from every pupil in the group, dated and kept together.",
                "The baseline for {cls} is in the folder and we used it today.",
            ),
            Step(
                "Share two readings on {strategy} with the participant.",
                "Readings sent before the next session.",
                "Both readings on {strategy} sent and discussed.",
                by_coach=True,
                days=7,
            ),
        ),
    ),
    Stage(
        kind="lesson_observation",
        minutes=60,
        focus="Observation in {cls}: {strategy}",
        discussed="<p>I observed {cls} and watched {strategy}.</p>"
        "<p>Afterwards we talked about when to step back and let pupils work alone.</p>",
        strengths="<p>Calm routines in {cls}; the pupils knew what was expected from the start.</p>",
        pupil_outcomes="<p>In the lesson, {seen}.</p>",
        reflection="Hearing what my coach saw in {cls} showed me where I still do the thinking for the pupils.",
        steps=(
            Step(
                "Try {strategy} in three lessons and note what changes for {pupils}.",
                "Notes on three lessons, with one piece of work from each.",
                "Tried in {cls} three times; the notes fed today's planning.",
                days=21,
            ),
        ),
    ),
    Stage(
        kind="joint_planning",
        minutes=40,
        focus="Planning the next cycle in {cls}",
        discussed="<p>We planned a sequence for {cls} that keeps {strategy} but gradually takes support away.</p>"
        "<p>We decided how to collect {evidence} as evidence for the enquiry.</p>",
        strengths="<p>Each planned lesson for {cls} links back to the enquiry question.</p>",
        pupil_outcomes="<p>Still to be seen: whether the gains hold for {pupils} once the support is gone.</p>",
        reflection="Planning the whole sequence for {cls} with my coach stopped me improvising each lesson.",
        steps=(
            Step(
                "Teach the planned sequence to {cls} and keep {evidence} from each lesson.",
                "Evidence from each lesson of the sequence, ready for review.",
                "The sequence for {cls} is taught and its evidence kept.",
                days=28,
            ),
            Step(
                "Arrange cover so the participant can visit {colleague}.",
                "A date agreed and cover booked.",
                "The visit to {colleague} is booked.",
                by_coach=True,
                days=10,
            ),
        ),
    ),
    Stage(
        kind="collaborative_learning",
        minutes=50,
        focus="Learning from {colleague}",
        discussed="<p>We debriefed the visit to {colleague} and compared it with {strategy} in {cls}.</p>",
        strengths="<p>Brought back practical ideas from {colleague} and weighed them against the enquiry.</p>",
        pupil_outcomes="<p>The evidence so far from {cls} suggests {seen}, but the group is small.</p>",
        reflection="Seeing another setting made me question what in {cls} is down to the strategy and what to me.",
        steps=(
            Step(
                "Write up what the visit to {colleague} changed in the plan for {cls}.",
                "A page added to the enquiry notes.",
                "The write-up about {colleague} is in the enquiry notes.",
            ),
        ),
    ),
    Stage(
        kind="three_way_review",
        minutes=45,
        focus="Three-way review of the enquiry in {cls} with the tutor",
        discussed="<p>With the tutor, we went through {evidence} and what it shows about {pupils}.</p>"
        "<p>The tutor asked how the findings could be shared with the department.</p>",
        strengths="<p>A well-organised body of evidence from {cls}, honestly interpreted.</p>",
        pupil_outcomes="<p>Across the cycle, {seen}; the tutor suggested a comparison group next time.</p>",
        reflection="Explaining the enquiry about {cls} to the tutor showed me which claims my evidence supports.",
        steps=(
            Step(
                "Present the findings from {cls} at a department meeting.",
                "Ten minutes at a meeting, with the slides kept as evidence.",
                "Presented the findings from {cls} to the department.",
                days=30,
            ),
        ),
    ),
]

DROPPED_NOTE = "Overtaken by the new plan for {cls}; we agreed to stop this one."
CHANGE_REQUEST = "Please add that the lesson in {cls} was shortened by a fire drill; it explains the timings."

DIAGNOSIS_INDUCTION = "Induction reports strong relationships with {cls} and a need to work on {need}."
DIAGNOSIS_PERFORMANCE = "The first review set a target linked to {need}, with {pupils} as the focus."
DIAGNOSIS_SUMMARY = "Start from {need}; the enquiry will ask whether {strategy} helps {pupils}."
NEED_FIRST = "Work on {need} with {cls}."
NEED_SECOND = "Use {evidence} to judge progress rather than impressions."
GOAL_FIRST = "Show, with evidence from {cls}, whether {strategy} makes a difference."
GOAL_SECOND = "Share what the enquiry on {need} found with colleagues."
GOAL_NEW = "Widen the enquiry beyond {cls} to a second class."
REVIEW_NOTE = "Reviewed at the start of phase {phase}: the goals on {need} carry on into this phase."

OPPORTUNITY_PAST = "Visit {colleague} to see a different approach to {need}."
OPPORTUNITY_LEARNED = "Saw how {colleague} handles {need}; took away two routines to try in {cls}."
OPPORTUNITY_NEXT = "Join {colleague} for a morning to plan the next step with {cls} in mind."
