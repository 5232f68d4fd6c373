from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("services/", views.service_list, name="service-list"),
    path("services/new/", views.service_create, name="service-create"),
    path("services/<int:pk>/edit/", views.service_edit, name="service-edit"),
    path("services/<int:pk>/archive/", views.service_archive, name="service-archive"),
    path("classes/", views.class_list, name="class-list"),
    path("classes/new/", views.class_create, name="class-create"),
    path("classes/<int:pk>/", views.class_detail, name="class-detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class-edit"),
    path("classes/<int:pk>/archive/", views.class_archive, name="class-archive"),
    path("classes/<int:pk>/schedules/new/", views.schedule_create, name="schedule-create"),
    path(
        "classes/<int:pk>/schedules/<int:schedule_pk>/edit/",
        views.schedule_edit,
        name="schedule-edit",
    ),
    path("classes/<int:pk>/schedules/preview/", views.schedule_preview, name="schedule-preview"),
]
