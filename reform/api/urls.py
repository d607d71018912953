"""``/api/v1/`` and the API's schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from orgs.api import MeView, UnitGroupViewSet, UnitViewSet, UserViewSet
from reform.api.auth import TokenView
from reform.security import allow_inline_styles
from reports.api import DashboardView, ReportJobViewSet
from tasks.api.imports import PlanImportViewSet
from tasks.api.records import EvidenceViewSet, ExtensionViewSet, NoticeViewSet, ProgressReportViewSet, QuestionViewSet
from tasks.api.rounds import ReportingRoundViewSet
from tasks.api.views import AssignmentViewSet, MilestoneViewSet, PlanViewSet, SectionViewSet, TaskViewSet
from tasks.reminders.api import NotificationViewSet


class IdRouter(DefaultRouter):
    """Objects are addressed by id as everywhere else (``<id:pk>``): another value is no address (404)."""

    def __init__(self):
        super().__init__(use_regex_path=False)
        self._default_value_pattern = "id"


router = IdRouter()
router.include_format_suffixes = False  # one address per thing: no ".json" twins
# Before "plans": its addresses would otherwise be read as a plan's.
router.register("plans/import", PlanImportViewSet, basename="plan-import")
router.register("plans", PlanViewSet, basename="plan")
router.register("sections", SectionViewSet, basename="section")
router.register("tasks", TaskViewSet, basename="task")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("reports", ProgressReportViewSet, basename="report")
router.register("evidence", EvidenceViewSet, basename="evidence")
router.register("extensions", ExtensionViewSet, basename="extension")
router.register("notices", NoticeViewSet, basename="notice")
router.register("questions", QuestionViewSet, basename="question")
router.register("rounds", ReportingRoundViewSet, basename="round")
router.register("report-jobs", ReportJobViewSet, basename="report-job")
router.register("units", UnitViewSet, basename="unit")
router.register("unit-groups", UnitGroupViewSet, basename="unit-group")
router.register("users", UserViewSet, basename="user")
router.register("notifications", NotificationViewSet, basename="notification")

app_name = "api"

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="token"),
    path("v1/users/me/", MeView.as_view(), name="me"),
    path("v1/dashboard/", DashboardView.as_view(), name="dashboard"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's set-up as a script of its own: no inline script.
    path("docs/", allow_inline_styles(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", allow_inline_styles(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
]
