from django.urls import path

from programme import views

app_name = "programme"

urlpatterns = [
    path("my-programme/", views.participant_home, name="participant_home"),
    path("my-coachees/", views.coach_home, name="coach_home"),
    path("my-participants/", views.tutor_home, name="tutor_home"),
    path("examiner/", views.examiner_home, name="examiner_home"),
]
