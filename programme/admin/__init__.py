"""The programme leader's screens in the CMS, under a "Programme" menu (registered by
programme/wagtail_hooks.py):

    viewsets     schools, challenge categories, cohorts with their eligibility rules, enrolments,
                 staff memberships; declarative where Wagtail's generic views suffice
    views        the enrolment and staff-membership views that save through programme.services,
                 and the enrolment's actions (move school, change coach or tutor, progress phase)
    forms        their forms
    structure    the programme's structure: phases, content areas with topics, frameworks
    concurrency  two leaders editing one record cannot silently overwrite each other

Django's admin imports this package at start-up, so it imports nothing itself.
"""
