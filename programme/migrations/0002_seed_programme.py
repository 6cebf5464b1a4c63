"""Seed the programme's structure: phases, content areas and topics, the 2012 Teachers' Standards,
and the challenge categories cohorts may name. Programme leaders can edit all of it afterwards."""

from django.db import migrations

PHASES = [
    (1, "Developing skills of enquiry and use of evidence",
     "Starts from an initial diagnosis with the coach. For new teachers it runs alongside induction."),
    (2, "Broadening and embedding",
     "Widens practice across all four content areas and makes enquiry part of everyday teaching."),
    (3, "Specialist focus",
     "Deepens one specialism drawn from the content areas, connects with specialist networks and "
     "shares the findings of the participant's research so that others can use them."),
]

AREAS = [
    (1, "Teaching and learning, and assessment", "Teaching, learning and assessment", [
        "Personalised learning", "Applied learning", "Assessment for learning", "Diagnostic skills",
        "Using performance data to track pupils' progress"]),
    (2, "Subject knowledge for teaching, and curriculum development", "Subject and curriculum", [
        "Subject knowledge for teaching", "Curriculum and curriculum development", "Literacy", "Numeracy",
        "14-19 developments", "ICT"]),
    (3, "How children and young people develop and learn, and behaviour", "Development, behaviour and inclusion", [
        "How children and young people develop and learn", "Behaviour management", "Inclusion",
        "Special educational needs (SEN)", "English as an additional language (EAL)"]),
    (4, "Leadership, management and working with others", "Leadership and working with others", [
        "Leading subjects and curriculum areas", "Working with the school and children's workforce",
        "Working with employers and further education", "Working with parents and carers"]),
]

STANDARDS_2012 = [
    ("Part One: Teaching", "TS1", "Set high expectations which inspire, motivate and challenge pupils"),
    ("Part One: Teaching", "TS2", "Promote good progress and outcomes by pupils"),
    ("Part One: Teaching", "TS3", "Demonstrate good subject and curriculum knowledge"),
    ("Part One: Teaching", "TS4", "Plan and teach well structured lessons"),
    ("Part One: Teaching", "TS5", "Adapt teaching to respond to the strengths and needs of all pupils"),
    ("Part One: Teaching", "TS6", "Make accurate and productive use of assessment"),
    ("Part One: Teaching", "TS7", "Manage behaviour effectively to ensure a good and safe learning environment"),
    ("Part One: Teaching", "TS8", "Fulfil wider professional responsibilities"),
    ("Part Two", "PPC", "Personal and professional conduct"),
]

CHALLENGE_CATEGORIES = ["National Challenge", "Serving a disadvantaged area", "Requires improvement"]


def seed(apps, schema_editor):
    Phase = apps.get_model("programme", "Phase")
    ContentArea = apps.get_model("programme", "ContentArea")
    Topic = apps.get_model("programme", "Topic")
    StandardFramework = apps.get_model("programme", "StandardFramework")
    Standard = apps.get_model("programme", "Standard")
    ChallengeCategory = apps.get_model("programme", "ChallengeCategory")

    for number, name, summary in PHASES:
        Phase.objects.update_or_create(number=number, defaults={"name": name, "summary": summary})
    for number, name, short_name, topics in AREAS:
        area, _ = ContentArea.objects.update_or_create(
            number=number, defaults={"name": name, "short_name": short_name}
        )
        for order, topic in enumerate(topics):
            Topic.objects.get_or_create(content_area=area, name=topic, defaults={"sort_order": order})
    framework, _ = StandardFramework.objects.get_or_create(
        name="Teachers' Standards (England, 2012)", defaults={"short_name": "TS 2012", "published": 2012}
    )
    for order, (part, code, title) in enumerate(STANDARDS_2012):
        Standard.objects.get_or_create(
            framework=framework, code=code, defaults={"part": part, "title": title, "sort_order": order}
        )
    for name in CHALLENGE_CATEGORIES:
        ChallengeCategory.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("programme", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
