from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from orgs.views import LoginView, PasswordChangeView
from reform import health
from reports.views import home


def favicon(request):
    """Asked for by browsers and tools that do not read the page's icon link."""
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    path("", home, name="home"),
    path("favicon.ico", favicon),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", PasswordChangeView.as_view(), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("reform.api.urls")),
    path("notifications/", include("tasks.reminders.urls")),
    path("", include("orgs.urls")),
    path("", include("tasks.urls")),
    path("", include("reports.urls")),
]

handler400 = "reform.errors.bad_request"
handler403 = "reform.errors.permission_denied"
handler404 = "reform.errors.page_not_found"
handler500 = "reform.errors.server_error"
