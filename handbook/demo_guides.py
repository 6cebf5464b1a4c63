"""Six dialogue guides for coaching sessions, written for the demo; programme leaders edit them in
the CMS. Each follows the same shape: a topic, why it matters, questions to ask, a short discussion
to start from, and resources to act on afterwards; tagged to content areas and topics (by name)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoGuide:
    slug: str
    title: str
    summary: str
    why_it_matters: str
    key_questions: str
    discussion: str
    resources: str
    areas: tuple[int, ...]
    topics: tuple[str, ...] = ()


GUIDE_INDEX_TITLE = "Dialogue guides for coaching sessions"
GUIDE_INDEX_INTRO = (
    "<p>Each guide prepares one coaching conversation: why the subject is worth an hour of your time, the "
    "questions that open it up, a short discussion to start from and something practical to do afterwards. "
    "Choose the guides for the content areas you are working on, and note in the dialogue log which one the "
    "session followed.</p>"
)

GUIDES = [
    DemoGuide(
        slug="who-is-doing-the-thinking",
        title="Who is doing the thinking in your lessons?",
        summary="Looking at questioning and talk to see how many pupils are really working on the idea.",
        why_it_matters=(
            "<p>A lesson can look busy while a handful of confident pupils answer every question. When a "
            "teacher sees who is actually thinking, they can plan for the quiet middle of the class, not only "
            "for those with hands up.</p>"
        ),
        key_questions=(
            "<ul><li>In the last lesson, which pupils spoke, and which did not?</li>"
            "<li>What did the pupils who did not speak do while others answered?</li>"
            "<li>Which of your questions had one right answer, and which asked pupils to reason?</li>"
            "<li>What would you accept as evidence that most of the class understood?</li></ul>"
        ),
        discussion=(
            "<p>Start from something concrete: a seating plan marked with who answered, or a short recording "
            "of the starter. Ask the participant to predict what it will show before you look at it together. "
            "The gap between the prediction and the record is usually where the conversation gets useful.</p>"
            "<p>Resist offering a technique straight away. Agree first what the problem is, for which pupils.</p>"
        ),
        resources=(
            "<ul><li>Tally who answers in one lesson, then try a no-hands routine in the next and tally again.</li>"
            "<li>Collect mini-whiteboard answers from everyone for one key question and keep a photo as "
            "evidence.</li></ul>"
        ),
        areas=(1,),
        topics=("Assessment for learning", "Personalised learning"),
    ),
    DemoGuide(
        slug="reading-the-data-you-already-have",
        title="Reading the data you already have",
        summary="Turning the school's tracking data into one question about a few pupils.",
        why_it_matters=(
            "<p>Tracking spreadsheets rarely change teaching on their own. They become useful when a teacher "
            "picks out a small group, checks the numbers against pupils' books, and decides what to do "
            "differently for them.</p>"
        ),
        key_questions=(
            "<ul><li>Which three pupils does the data worry you about, and does their work agree?</li>"
            "<li>What would you expect to see in their books if the data is right?</li>"
            "<li>What does this data leave out about these pupils?</li></ul>"
        ),
        discussion=(
            "<p>Bring the latest data for one class and a few exercise books. Compare the two side by side. "
            "Where they disagree, talk about why: the assessment, the day, or something the data cannot "
            "see. End with one change to try for the group before the next data point.</p>"
        ),
        resources=(
            "<ul><li>A one-page note of the three pupils, what the data says, what their work says and what "
            "you will try.</li><li>The handbook's resource on using assessment data to track progress.</li></ul>"
        ),
        areas=(1,),
        topics=("Using performance data to track pupils' progress", "Diagnostic skills"),
    ),
    DemoGuide(
        slug="where-misconceptions-come-from",
        title="Where do pupils' misconceptions come from?",
        summary="Unpicking a topic pupils keep getting wrong, and what your explanation does about it.",
        why_it_matters=(
            "<p>Secure subject knowledge for teaching is more than knowing the content: it is knowing how "
            "pupils tend to misunderstand it. A misconception that is named and planned for is far easier to "
            "shift than one discovered in the end-of-unit test.</p>"
        ),
        key_questions=(
            "<ul><li>Which wrong answer do you see most often in this topic?</li>"
            "<li>What would a pupil have to believe for that answer to make sense?</li>"
            "<li>Where in the unit could you bring that belief into the open?</li>"
            "<li>Who in your department or network has taught this well, and how?</li></ul>"
        ),
        discussion=(
            "<p>Look at three or four pieces of pupils' work with the same mistake. Try to write down the "
            "pupil's reasoning in their own terms. Then look at the explanation or model the participant "
            "uses, and ask whether it could accidentally support the wrong idea.</p>"
        ),
        resources=(
            "<ul><li>A diagnostic question for the start of the next lesson, with a wrong option built around "
            "the misconception.</li><li>One published source on the topic's common errors, noted in the "
            "portfolio.</li></ul>"
        ),
        areas=(2,),
        topics=("Subject knowledge for teaching", "Curriculum and curriculum development"),
    ),
    DemoGuide(
        slug="calm-starts",
        title="Calm starts: the first five minutes",
        summary="How the opening of a lesson shapes behaviour for the rest of it.",
        why_it_matters=(
            "<p>Much low-level disruption begins in the first minutes, while pupils arrive, settle and wait. "
            "A predictable start gives every pupil something to do at once and lets the teacher notice who "
            "needs a word before trouble starts.</p>"
        ),
        key_questions=(
            "<ul><li>What were pupils doing in the first five minutes of the lesson I watched?</li>"
            "<li>Which pupils found the start hardest, and what did they need?</li>"
            "<li>What is the same at the start of every lesson, and what changes?</li></ul>"
        ),
        discussion=(
            "<p>Walk through the start of a recent lesson minute by minute. Separate what the teacher "
            "planned from what actually happened. Agree one routine to keep the same for three weeks so that "
            "its effect can be seen, rather than changing several things at once.</p>"
        ),
        resources=(
            "<ul><li>A simple record over three weeks: time until the class is working, and incidents in the "
            "first ten minutes.</li></ul>"
        ),
        areas=(3,),
        topics=("Behaviour management",),
    ),
    DemoGuide(
        slug="including-pupils-new-to-english",
        title="Including pupils who are new to English",
        summary="Helping pupils learning English as an additional language show what they understand.",
        why_it_matters=(
            "<p>Pupils new to English often understand more than they can yet say or write. If lessons only "
            "accept answers in fluent English, teachers underestimate them and they fall behind in the "
            "subject, not just the language.</p>"
        ),
        key_questions=(
            "<ul><li>How does this pupil show understanding when words are hard to find?</li>"
            "<li>Which words in this unit do they need first, and how are they taught?</li>"
            "<li>Who else knows this pupil well: a teaching assistant, a family member, a colleague?</li></ul>"
        ),
        discussion=(
            "<p>Choose one pupil and one recent task. Look at what they produced and what support they had. "
            "Talk about ways to separate the subject thinking from the language: diagrams, sorting, talking "
            "in their first language, sentence starters. Agree which to try, and how you will know it "
            "helped.</p>"
        ),
        resources=(
            "<ul><li>A short key-word list with pictures for the next unit.</li>"
            "<li>A conversation with the school's EAL lead, noted as a learning opportunity.</li></ul>"
        ),
        areas=(3, 1),
        topics=("English as an additional language (EAL)", "Inclusion"),
    ),
    DemoGuide(
        slug="working-with-a-teaching-assistant",
        title="Working well with a teaching assistant",
        summary="Planning together so that the extra adult in the room adds to pupils' learning.",
        why_it_matters=(
            "<p>A teaching assistant can transform a lesson for the pupils who need most help, or can end up "
            "doing the work for them. The difference is usually in how the lesson is shared and planned, "
            "which is a leadership skill an early-career teacher can build.</p>"
        ),
        key_questions=(
            "<ul><li>What did the teaching assistant know about the lesson before it began?</li>"
            "<li>Which pupils did they work with, and who chose?</li>"
            "<li>How do you hear from them what they noticed?</li></ul>"
        ),
        discussion=(
            "<p>Look at a recent lesson plan together and mark what the second adult was asked to do at each "
            "point. Talk about how to brief them in two minutes and how to get their observations back. If "
            "you can, invite the teaching assistant to part of the next session.</p>"
        ),
        resources=(
            "<ul><li>A short briefing note template for the next fortnight's lessons.</li>"
            "<li>The handbook's page on leadership and working with others.</li></ul>"
        ),
        areas=(4,),
        topics=("Working with the school and children's workforce",),
    ),
]
