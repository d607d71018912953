from django.urls import path

from tasks import action_views, edit_views, import_views, views, work_views

app_name = "tasks"
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/source/", views.plan_source, name="plan_source"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/timeline/", views.task_timeline_page, name="task_timeline"),
    path("tasks/<int:pk>/history/", views.task_history_page, name="task_history"),
    path("tasks/<int:pk>/edit/", edit_views.task_edit_page, name="task_edit"),
    path("tasks/<int:pk>/units/add/", edit_views.task_unit_add, name="task_unit_add"),
    path("assignments/<int:pk>/remove/", edit_views.task_unit_remove, name="task_unit_remove"),
    path("tasks/<int:pk>/due/", action_views.task_due_change, name="task_due_change"),
    path("tasks/<int:pk>/instruction/", action_views.instruction_give, name="instruction_give"),
    path("tasks/mine/", views.my_tasks, name="my_tasks"),
    path("tasks/work/", work_views.work_list, name="work_list"),
    path("assignments/<int:pk>/", views.assignment_panel, name="assignment_panel"),
    path("assignments/<int:pk>/report/", action_views.report_submit, name="report_submit"),
    path("assignments/<int:pk>/extension/", action_views.extension_ask, name="extension_request"),
    path(
        "assignments/<int:pk>/milestones/<int:milestone_pk>/done/",
        action_views.milestone_done,
        name="milestone_done",
    ),
    path("extensions/<int:pk>/decide/", action_views.extension_decision, name="extension_decide"),
    path("assignments/<int:pk>/notice/", action_views.notice_give, name="notice_issue"),
    path("notices/<int:pk>/", action_views.notice_print, name="notice_print"),
    path("notices/<int:pk>/respond/", action_views.notice_answer, name="notice_respond"),
    path("notices/<int:pk>/close/", action_views.notice_end, name="notice_close"),
    path(
        "assignments/<int:pk>/<str:action>/",
        action_views.assignment_action,
        name="assignment_action",
    ),
    path("evidence/<int:pk>/download/", action_views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", action_views.evidence_remove, name="evidence_remove"),
    path("tasks/review/", views.review_queue, name="review_queue"),
    path("tasks/import/", import_views.import_list, name="import_list"),
    path("tasks/import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("tasks/import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("tasks/import/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
    path("tasks/import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
]
