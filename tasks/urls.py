from django.urls import path

from tasks import action_views, edit_views, import_views, views, work_views

app_name = "tasks"
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<id:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<id:pk>/source/", views.plan_source, name="plan_source"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<id:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<id:pk>/timeline/", views.task_timeline_page, name="task_timeline"),
    path("tasks/<id:pk>/history/", views.task_history_page, name="task_history"),
    path("tasks/<id:pk>/edit/", edit_views.task_edit_page, name="task_edit"),
    path("tasks/<id:pk>/units/add/", edit_views.task_unit_add, name="task_unit_add"),
    path("assignments/<id:pk>/remove/", edit_views.task_unit_remove, name="task_unit_remove"),
    path("tasks/<id:pk>/due/", action_views.task_due_change, name="task_due_change"),
    path("tasks/<id:pk>/instruction/", action_views.instruction_give, name="instruction_give"),
    path("tasks/mine/", views.my_tasks, name="my_tasks"),
    path("tasks/work/", work_views.work_list, name="work_list"),
    path("assignments/<id:pk>/", views.assignment_panel, name="assignment_panel"),
    path("assignments/<id:pk>/report/", action_views.report_submit, name="report_submit"),
    path("assignments/<id:pk>/extension/", action_views.extension_ask, name="extension_request"),
    path(
        "assignments/<id:pk>/milestones/<id:milestone_pk>/done/",
        action_views.milestone_done,
        name="milestone_done",
    ),
    path("extensions/<id:pk>/decide/", action_views.extension_decision, name="extension_decide"),
    path("assignments/<id:pk>/notice/", action_views.notice_give, name="notice_issue"),
    path("notices/<id:pk>/", action_views.notice_print, name="notice_print"),
    path("notices/<id:pk>/respond/", action_views.notice_answer, name="notice_respond"),
    path("notices/<id:pk>/close/", action_views.notice_end, name="notice_close"),
    path(
        "assignments/<id:pk>/<str:action>/",
        action_views.assignment_action,
        name="assignment_action",
    ),
    path("evidence/<id:pk>/download/", action_views.evidence_download, name="evidence_download"),
    path("evidence/<id:pk>/remove/", action_views.evidence_remove, name="evidence_remove"),
    path("tasks/review/", views.review_queue, name="review_queue"),
    path("tasks/import/", import_views.import_list, name="import_list"),
    path("tasks/import/<id:pk>/", import_views.import_detail, name="import_detail"),
    path("tasks/import/<id:pk>/mend/", import_views.import_mend, name="import_mend"),
    path("tasks/import/<id:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("tasks/import/<id:pk>/retry/", import_views.import_retry, name="import_retry"),
    path("tasks/import/<id:pk>/discard/", import_views.import_discard, name="import_discard"),
]
