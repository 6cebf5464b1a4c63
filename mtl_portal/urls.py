from django.conf import settings
from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from tracking import homes

urlpatterns = [
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static_url("favicon.ico"))),
    # Both admin sites sign people in through allauth, so MFA and rate limits always apply.
    path("django-admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("cms/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("dashboard/", homes.dashboard, name="dashboard"),
    path("programme/", include("tracking.urls")),
    path("coaching/", include("coaching.urls")),
    path("files/", include("files.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("assessment/", include("assessment.urls")),
    path("marking/", include("assessment.marking_urls")),
    path("examiner/", include("assessment.examiner_urls")),
    path("assessment/", include("assessment.credit_urls")),
    path("privacy/", include("privacy.urls")),
    path("handbook/", include("handbook.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# The server error page gives the request's id to quote (mtl_portal.logs).
handler500 = "mtl_portal.logs.server_error"
