"""Who may coach or assess whom.

A coach holds the coach role and, on the day the coaching starts, is a coach at the participant's
school or at a partner school the programme leader names. A tutor holds the tutor role. Nobody
coaches or assesses themselves.
"""

import datetime

from accounts.models import User
from accounts.roles import Role
from programme.models import Enrolment, School, StaffMembership
from programme.selectors import school_at
from ui.errors import RuleError


def check_coach(*, enrolment: Enrolment, coach: User, starts_on: datetime.date, partner_school: School | None) -> None:
    if coach.pk == enrolment.participant_id:
        raise RuleError("Nobody can coach themselves.", rule="no_self_coaching", field="coach")
    if Role.COACH not in coach.roles:
        raise RuleError(f"{coach} does not hold the coach role.", rule="coach_role", field="coach")
    school = partner_school or school_at(enrolment, starts_on)
    if school is None:
        raise RuleError(
            f"The participant is not placed at a school on {starts_on:%d/%m/%Y}.",
            rule="coach_school",
            field="starts_on",
        )
    at_school = (
        StaffMembership.objects.covering(starts_on)
        .filter(user=coach, school=school, role=StaffMembership.StaffRole.COACH)
        .exists()
    )
    if not at_school:
        raise RuleError(
            f"{coach} is not a coach at {school} on {starts_on:%d/%m/%Y}. A coach must be at the participant's "
            "school, or at a partner school you name.",
            rule="coach_school",
            field="coach",
        )


def check_tutor(*, enrolment: Enrolment, tutor: User) -> None:
    if tutor.pk == enrolment.participant_id:
        raise RuleError("Nobody can assess themselves.", rule="no_self_assessment", field="tutor")
    if Role.TUTOR not in tutor.roles:
        raise RuleError(f"{tutor} does not hold the tutor role.", rule="tutor_role", field="tutor")
