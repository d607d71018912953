from django.urls import path

from tasks import import_views, views

app_name = "tasks"
urlpatterns = [
    path("mine/", views.my_tasks, name="my_tasks"),
    path("review/", views.review_queue, name="review_queue"),
    path("import/", import_views.import_list, name="import_list"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("import/<int:pk>/retry/", import_views.import_retry, name="import_retry"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
]
