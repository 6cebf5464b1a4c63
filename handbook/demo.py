"""Demo handbook: the public home page, the handbook index, a page per phase and content area, and
a few resources. Text written for the demo; programme leaders edit it in the CMS.

Called by `manage.py seed_demo`. Each page is looked up by its slug or its linked phase or content
area, so a second run adds only what is missing.
"""

from dataclasses import dataclass

from programme.models import ContentArea, Phase

HOME_TITLE = "Masters in Teaching and Learning"
HOME_INTRO = (
    "A practice-based masters for teachers early in their careers, studied mostly in your own classroom "
    "with an in-school coach and a university tutor."
)
HOME_BODY = (
    "<p>The programme takes about three years and is built around enquiry: asking a focused question about "
    "your pupils' learning, gathering evidence in your own classroom and acting on what it tells you.</p>"
    "<p>Sign in to keep your portfolio, record coaching sessions, assess work or follow your school's "
    "participants. The handbook below explains how the programme works.</p>"
)

HANDBOOK_TITLE = "Programme handbook"
HANDBOOK_INTRO = (
    "<p>How the programme is organised, what each phase asks of you, what the four content areas cover, and "
    "practical guides for participants and coaches.</p>"
    "<p>A full masters award is 180 credits at level 7 of the Framework for Higher Education Qualifications. "
    "Every participant works through three phases in order and covers all four content areas by the end.</p>"
)

PHASE_PAGES = {
    1: (
        "Begin with an honest look at your practice, then learn to ask a sharp question about your teaching "
        "and answer it with evidence.",
        "<p>Phase 1 opens with an initial diagnosis. You and your coach look at what you already know from your "
        "training and, if you are new to teaching, from induction, and agree where to start. The result is a "
        "learning plan set out by content area.</p>"
        "<p>The phase is about habits the rest of the programme relies on: framing a question about your pupils' "
        "learning, finding out what is already known, collecting evidence in your own classroom and deciding "
        "honestly what it shows.</p>"
        "<h3>When it starts</h3>"
        "<p>No programme activity happens before the summer term of your induction year. For new teachers the "
        "phase runs alongside induction and should build on it rather than duplicate it.</p>"
        "<h3>Moving on</h3>"
        "<p>Your tutor decides when you are ready for phase 2, drawing on your portfolio and the record of your "
        "coaching. There is no set length: some people move on within two terms, others need longer.</p>",
    ),
    2: (
        "Use your enquiry skills across all four content areas until working from evidence is part of how you "
        "teach every week.",
        "<p>Phase 2 builds directly on phase 1. You carry the same enquiry skills into each of the four content "
        "areas, so that by the end of the phase none of them is left untouched.</p>"
        "<p>Expect shorter, more frequent cycles of enquiry than in phase 1: try something, look at what pupils "
        "did, talk it through with your coach, adjust. Your portfolio shows which content areas are still thin, "
        "which helps you and your coach plan what comes next.</p>"
        "<h3>Working with your coach</h3>"
        "<p>Coaching sessions continue throughout. You agree action steps together, review them at the next "
        "session and close them when they are done. If you move school, everything you have recorded comes with "
        "you and a coach at your new school takes over.</p>",
    ),
    3: (
        "Go deeper into one specialism drawn from the content areas, link up with others working on the same "
        "questions, and share what you find.",
        "<p>In phase 3 you choose a specialism, agreed with your coach and tutor, drawn from one or more of the "
        "content areas. The enquiry is larger and more sustained than before, and your reading goes further "
        "into published research.</p>"
        "<p>You link with specialist networks beyond your school, such as subject associations, local research "
        "groups or colleagues in partner schools, which gives you a base for the next stage of your career.</p>"
        "<h3>Sharing your research</h3>"
        "<p>The phase ends with you communicating the outcomes of your research so that others can learn from "
        "it. Once your tutor approves it, a summary goes into the provider's research library for colleagues "
        "across the partnership to read.</p>",
    ),
}

AREA_PAGES = {
    1: (
        "How pupils learn in your lessons, how you find out what they know, and how you use that to plan.",
        "<p>This area covers teaching and learning with particular attention to personalisation and applied "
        "learning, together with assessment for learning, diagnostic skills and the use of performance data to "
        "track pupils' progress.</p>"
        "<h3>Questions an enquiry here might ask</h3>"
        "<ul><li>Which pupils does my usual questioning leave out, and what changes if I plan for them?</li>"
        "<li>What does the data I already collect tell me about a group's progress, and what does it miss?</li>"
        "<li>Does a practical, applied task help pupils remember the underlying idea a month later?</li></ul>",
    ),
    2: (
        "Knowing your subject well enough to teach it, and shaping the curriculum pupils experience.",
        "<p>This area covers subject knowledge for teaching and the curriculum: how it is designed and "
        "developed, literacy, numeracy, 14-19 developments and ICT.</p>"
        "<h3>Questions an enquiry here might ask</h3>"
        "<ul><li>Where do pupils' misconceptions in this topic come from, and how does my explanation address "
        "them?</li>"
        "<li>How could this unit support pupils' reading and writing without losing its subject focus?</li>"
        "<li>What does a well-sequenced route through this topic look like from year to year?</li></ul>",
    ),
    3: (
        "How children and young people develop and learn, managing behaviour, and including every pupil.",
        "<p>This area covers how children and young people develop and learn, behaviour management, and "
        "inclusion, including pupils with special educational needs (SEN) and pupils learning English as an "
        "additional language (EAL).</p>"
        "<h3>Questions an enquiry here might ask</h3>"
        "<ul><li>What happens to low-level disruption when I change how lessons start?</li>"
        "<li>Which adjustments help a pupil with SEN take part fully, and how do I know?</li>"
        "<li>How can I support pupils new to English to show what they understand?</li></ul>",
    ),
    4: (
        "Leading a subject or area, and working with colleagues, other professionals, parents and carers.",
        "<p>This area covers leadership and management, including of subjects and curriculum areas, and working "
        "with others in and beyond the classroom: the school and children's workforce, employers, further "
        "education, and parents and carers.</p>"
        "<h3>Questions an enquiry here might ask</h3>"
        "<ul><li>How do I make best use of a teaching assistant's time in my lessons?</li>"
        "<li>What do parents and carers find most useful to hear about their child's learning?</li>"
        "<li>How can I lead a change in my department so that colleagues own it too?</li></ul>",
    ),
}


@dataclass(frozen=True)
class DemoResource:
    slug: str
    title: str
    summary: str
    why_it_matters: str
    key_questions: str
    body: str
    areas: tuple[int, ...] = ()
    under_area: int | None = None  # under this content area's page, else under the handbook


RESOURCES = [
    DemoResource(
        slug="coaching-dialogue-prompts",
        title="Coaching dialogue prompts",
        summary="Prompts for coaching sessions that move a participant's thinking on, whatever the content area.",
        why_it_matters=(
            "<p>Coaching works when the participant can speak openly about what is not going well. It is "
            "confidential and it is not performance management: the head and programme leader see only the "
            "dates, length and content areas of sessions, never what was said.</p>"
            "<p>Good prompts keep the conversation on pupils' learning and on evidence, rather than on "
            "reassurance or advice given too early.</p>"
        ),
        key_questions=(
            "<ul><li>What did you notice about the pupils' learning in that lesson? What makes you think so?</li>"
            "<li>Which pupils surprised you, and why?</li>"
            "<li>What evidence would help you decide whether that change worked?</li>"
            "<li>What have you read or seen elsewhere that speaks to this?</li>"
            "<li>If you taught this again tomorrow, what would you keep and what would you change?</li></ul>"
        ),
        body=(
            "<h2>What to try next</h2>"
            "<p>End each session with one or two action steps that you both agree, each with a date to review "
            "it. Write them in the dialogue log while you are together, then the participant adds a short "
            "reflection and agrees the record.</p>"
            "<p>At the next session, start by reviewing those steps: what happened, what the pupils did, and "
            "whether to close the step or carry it forward.</p>"
        ),
        areas=(1, 2, 3, 4),
    ),
    DemoResource(
        slug="running-a-small-enquiry",
        title="Running a small enquiry",
        summary="A step-by-step guide to a classroom enquiry that fits into a half term.",
        why_it_matters=(
            "<p>Enquiry is the thread running through all three phases. A small, well-designed enquiry teaches "
            "more than a large one that never reaches a conclusion, and it gives your tutor clear evidence of "
            "masters-level thinking.</p>"
        ),
        key_questions=(
            "<ul><li>Is my question about pupils' learning, and small enough to answer this half term?</li>"
            "<li>What do I already know, and what does published research say?</li>"
            "<li>What will I collect, from whom, and how will it be fair to every pupil?</li>"
            "<li>What would count as a change, and how will I tell it apart from chance?</li></ul>"
        ),
        body=(
            "<h2>Steps</h2>"
            "<ol><li><strong>Question.</strong> Write one question about a group of pupils and one aspect of "
            "their learning.</li>"
            "<li><strong>Reading.</strong> Find two or three sources that bear on it and note what they "
            "suggest.</li>"
            "<li><strong>Method.</strong> Decide what you will change, for how long, and what you will compare "
            "it with.</li>"
            "<li><strong>Data.</strong> Collect pupils' work, short assessments, observations or pupils' own "
            "views. Keep it manageable.</li>"
            "<li><strong>Findings.</strong> Say what the evidence shows and what it does not.</li>"
            "<li><strong>Impact on pupils.</strong> Describe what changed for pupils and what you will do "
            "differently as a result.</li></ol>"
            "<p>Tag each piece of evidence to the content areas and standards it relates to, so your portfolio "
            "shows where you are strong and where you are thin.</p>"
        ),
        areas=(1, 2, 3, 4),
    ),
    DemoResource(
        slug="credits-and-prior-learning",
        title="Credits, assessment and prior learning",
        summary="How work is assessed, how credits add up, and when earlier masters-level study can count.",
        why_it_matters=(
            "<p>Knowing how credits are earned helps you plan your submissions across the three phases and "
            "avoid surprises near the end.</p>"
        ),
        key_questions=(
            "<ul><li>Which assessment tasks are due in my current phase?</li>"
            "<li>Have I already studied at masters level, and can I show its effect on pupils?</li></ul>"
        ),
        body=(
            "<h2>Credits</h2>"
            "<p>The full award is 180 credits at level 7. Your tutor marks each submission against the "
            "masters-level criteria, a second marker moderates, and an external examiner reviews a sample. "
            "Credits count once results are released.</p>"
            "<h2>Prior learning</h2>"
            "<p>Up to 30 credits from earlier masters-level study may be recognised. This is only possible "
            "where you show, through enquiry and evidence, that your practice has already improved pupils' "
            "outcomes. A certificate on its own is not enough.</p>"
            "<h2>Timing</h2>"
            "<p>You can start no earlier than the summer term of your induction year and no later than the "
            "start of your third year of teaching, and you must finish within your first five years.</p>"
        ),
    ),
    DemoResource(
        slug="using-data-to-track-progress",
        title="Using assessment data to track pupils' progress",
        summary="Reading the data your school already holds, and knowing its limits.",
        why_it_matters=(
            "<p>Schools collect a great deal of assessment data, but it only helps pupils when a teacher asks a "
            "clear question of it and checks it against what they see in lessons.</p>"
        ),
        key_questions=(
            "<ul><li>Which pupils' progress has stalled, and does their classwork agree?</li>"
            "<li>What does this data not tell me?</li></ul>"
        ),
        body=(
            "<h2>What to try next</h2>"
            "<p>Pick one class and one assessment point. List three pupils the data flags, look at their recent "
            "work with your coach, and agree one change to try with them before the next assessment.</p>"
        ),
        areas=(1,),
        under_area=1,
    ),
]


def _add_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _home_page():
    from wagtail.models import Page, Site

    from handbook.models import HomePage

    home = HomePage.objects.first()
    root = Page.get_first_root_node()
    if home is None:
        # Wagtail's installer leaves a "Welcome" page at slug "home"; take its place.
        welcome = root.get_children().filter(slug="home").first()
        if welcome is not None:
            welcome.slug = "wagtail-welcome"
            welcome.save(update_fields=["slug", "url_path"], clean=False)
        home = _add_child(root, HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO, body=HOME_BODY))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="MTL Portal"
            )
        else:
            site.root_page = home
            site.site_name = site.site_name or "MTL Portal"
            site.save()
        if welcome is not None and welcome.specific_class is Page and welcome.numchild == 0:
            welcome.refresh_from_db()
            if not Site.objects.filter(root_page=welcome).exists():
                welcome.delete()
    return home


def seed_handbook() -> None:
    """Home page, handbook index, a page per phase and content area, a few resources, and the
    research library's index."""
    from handbook.library import library_index
    from handbook.models import ContentAreaPage, HandbookIndexPage, PhasePage, ResourcePage

    home = _home_page()
    library_index()
    index = HandbookIndexPage.objects.child_of(home).filter(slug="handbook").first()
    if index is None:
        index = _add_child(home, HandbookIndexPage(title=HANDBOOK_TITLE, slug="handbook", intro=HANDBOOK_INTRO))
    for phase in Phase.objects.all():
        if phase.number in PHASE_PAGES and not PhasePage.objects.filter(phase=phase).exists():
            summary, body = PHASE_PAGES[phase.number]
            _add_child(
                index,
                PhasePage(title=str(phase), slug=f"phase-{phase.number}", phase=phase, summary=summary, body=body),
            )
    area_pages = {}
    for area in ContentArea.objects.all():
        page = ContentAreaPage.objects.filter(content_area=area).first()
        if page is None and area.number in AREA_PAGES:
            summary, body = AREA_PAGES[area.number]
            page = _add_child(
                index,
                ContentAreaPage(
                    title=area.name,
                    slug=f"content-area-{area.number}",
                    content_area=area,
                    summary=summary,
                    body=body,
                ),
            )
        area_pages[area.number] = page
    seed_guides(index)
    areas = {a.number: a for a in ContentArea.objects.all()}
    for spec in RESOURCES:
        parent = area_pages.get(spec.under_area) if spec.under_area else index
        if parent is None or ResourcePage.objects.child_of(parent).filter(slug=spec.slug).exists():
            continue
        page = _add_child(
            parent,
            ResourcePage(
                title=spec.title,
                slug=spec.slug,
                summary=spec.summary,
                why_it_matters=spec.why_it_matters,
                key_questions=spec.key_questions,
                body=spec.body,
            ),
        )
        page.content_areas.set([areas[n] for n in spec.areas if n in areas])


def seed_guides(index) -> None:
    """The guides' index under the handbook and the six demo guides (handbook.demo_guides)."""
    from handbook.demo_guides import GUIDE_INDEX_INTRO, GUIDE_INDEX_TITLE, GUIDES
    from handbook.models import DialogueGuideIndexPage, DialogueGuidePage
    from programme.models import Topic

    guides = DialogueGuideIndexPage.objects.child_of(index).first()
    if guides is None:
        guides = _add_child(
            index, DialogueGuideIndexPage(title=GUIDE_INDEX_TITLE, slug="dialogue-guides", intro=GUIDE_INDEX_INTRO)
        )
    areas = {a.number: a for a in ContentArea.objects.all()}
    topics = {t.name: t for t in Topic.objects.all()}
    for spec in GUIDES:
        if DialogueGuidePage.objects.child_of(guides).filter(slug=spec.slug).exists():
            continue
        page = DialogueGuidePage(
            title=spec.title,
            slug=spec.slug,
            summary=spec.summary,
            why_it_matters=spec.why_it_matters,
            key_questions=spec.key_questions,
            discussion=spec.discussion,
            resources=spec.resources,
        )
        # Tagged before the first revision, so the published page carries its tags.
        page.content_areas = [areas[n] for n in spec.areas if n in areas]
        page.topics = [topics[name] for name in spec.topics if name in topics]
        _add_child(guides, page)
