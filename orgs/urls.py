from django.urls import path

from orgs import manage_views as views

app_name = "orgs"
urlpatterns = [
    path("manage/units/", views.unit_list, name="unit_list"),
    path("manage/units/<id:pk>/", views.unit_detail, name="unit_detail"),
    path("manage/units/<id:pk>/rename/", views.unit_rename, name="unit_rename"),
    path("manage/units/<id:pk>/aliases/", views.unit_alias_add, name="unit_alias_add"),
    path("manage/units/<id:pk>/active/", views.unit_active, name="unit_active"),
    path("manage/units/<id:pk>/users/", views.user_add, name="user_add"),
    path("manage/users/<id:pk>/password/", views.user_password_reset, name="user_password_reset"),
    path("manage/users/<id:pk>/active/", views.user_active, name="user_active"),
    path("manage/groups/", views.group_list, name="group_list"),
    path("manage/groups/<id:pk>/", views.group_detail, name="group_detail"),
]
