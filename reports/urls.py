from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("reports/", views.index, name="index"),
    path("reports/ledger.xlsx", views.ledger_export, {"fmt": "xlsx"}, name="ledger_xlsx"),
    path("reports/<str:kind>.pdf", views.report_pdf, name="report_pdf"),
    path("reports/ledger.csv", views.ledger_export, {"fmt": "csv"}, name="ledger_csv"),
]
