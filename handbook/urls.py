from django.urls import path

from handbook import views

app_name = "handbook"

# Served before Wagtail's catch-all, so this address is the statement's whatever pages the CMS holds.
urlpatterns = [
    path("accessibility/", views.accessibility_statement, name="accessibility"),
]
