from django.urls import path

from assessment import credit_views

app_name = "credits"

urlpatterns = [
    path("participants/<int:enrolment_id>/credits/", credit_views.ledger, name="ledger"),
    path("participants/<int:enrolment_id>/phases/confirm/", credit_views.phase_confirm, name="phase_confirm"),
    path("participants/<int:enrolment_id>/prior-learning/new/", credit_views.claim_create, name="claim_create"),
    path("prior-learning/<int:pk>/", credit_views.claim_detail, name="claim_detail"),
    path("prior-learning/<int:pk>/decision/", credit_views.claim_decide, name="claim_decide"),
]
