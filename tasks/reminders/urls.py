from django.urls import path

from tasks.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("<id:pk>/open/", views.notification_open, name="notification_open"),
    path("read/", views.notification_read_all, name="notification_read_all"),
    path("settings/", views.channel_settings, name="channel_settings"),
    path("log/", views.delivery_log_page, name="delivery_log"),
    path("<id:pk>/retry/", views.notification_retry, name="notification_retry"),
    path("rules/", views.rules_page, name="rules"),
]
