from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from assessments import views as assessment_views
from config import health, metrics
from portal import admin as portal_admin
from portal import oidc, views
from portal.observability import views as observability_views

portal_patterns = (
    [
        path("", assessment_views.home, name="home"),  # the task list lives with the data it shows
        path(_("sign-in/"), views.SignInView.as_view(), name="sign-in"),
        path(_("sign-out/"), views.SignOutView.as_view(), name="sign-out"),
        path(_("sign-in/refused/"), oidc.refused, name="sso-refused"),
        path(_("your-data/"), assessment_views.my_data, name="my-data"),
    ],
    "portal",
)

urlpatterns = [
    path("", views.root, name="root"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", observability_views.readyz, name="readyz"),
    path("metrics", metrics.prometheus_metrics, name="metrics"),
    path("language/<str:language>/", views.switch_language, name="switch-language"),
    # Single sign-on (404 unless configured), under the names mozilla-django-oidc reverses. The refusal page is a
    # portal page, in the language the person was reading.
    # SCIM 2.0 provisioning (Microsoft Entra ID): bearer tokens, not sessions; outside the language prefixes.
    path("scim/v2/", include("directory.scim.urls")),
    path("oidc/authenticate/", oidc.authentication_start, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.authentication_callback, name="oidc_authentication_callback"),
]

if settings.BENCH_FLOOR_VIEW:
    urlpatterns.append(path("bench/floor/", views.bench_floor, name="bench-floor"))

urlpatterns += i18n_patterns(
    path("", include(portal_patterns)),
    path("", include("guidance.urls")),
    path("", include("assessments.urls")),
    path("", include("directory.urls")),
    path("", include("reporting.urls")),
    path("", include("outbox.urls")),
    path("", include("legal.urls")),
    # Before the admin's own: the same address as admin:view_on_site, with the admin's permissions (portal/admin.py).
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(portal_admin.view_on_site)),
    path("admin/", admin.site.urls),
)

admin.site.site_header = _("Social media guidance: editors and HR")
admin.site.site_title = _("Social media guidance")
admin.site.index_title = _("Manage the portal")
