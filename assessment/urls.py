from django.urls import path

from assessment import statement_views
from assessment.views import resubmission, submissions

app_name = "assessment"

urlpatterns = [
    path("tasks/", submissions.task_list, name="tasks"),
    path("tasks/<int:task_id>/submission/", submissions.build, name="build"),
    path("submissions/<int:pk>/", submissions.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/withdraw/", submissions.withdraw, name="withdraw"),
    path("submissions/<int:pk>/resubmit/", resubmission.start, name="resubmit"),
    path("submissions/<int:pk>/changes/", resubmission.changes, name="resubmission_changes"),
    path("submissions/<int:pk>/statement/", statement_views.statement_edit, name="statement"),
    path("submitted/", submissions.submitted_work, name="submitted_work"),
]
