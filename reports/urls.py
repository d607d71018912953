from django.urls import path

from reports import dashboard_views, views

app_name = "reports"
urlpatterns = [
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
    path("reports/", views.report_index, name="index"),
    path("reports/<id:pk>/", views.report_detail, name="report_detail"),
    path("reports/<id:pk>/progress/", views.report_progress, name="report_progress"),
    path("reports/<id:pk>/download/", views.report_download, name="report_download"),
    path("reports/ledger.xlsx", views.ledger_export, {"fmt": "xlsx"}, name="ledger_xlsx"),
    path("reports/<str:kind>.pdf", views.report_pdf, name="report_pdf"),
    path("reports/ledger.csv", views.ledger_export, {"fmt": "csv"}, name="ledger_csv"),
    path("verify/", views.report_verify, name="verify"),
]
