from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("meetings/<int:pk>/panel/", views.panel, name="panel"),
    path("meetings/<int:pk>/start/", views.start, name="start"),
    path("meetings/<int:pk>/retry/", views.retry, name="retry"),
    path("meetings/<int:pk>/recreate/", views.recreate, name="recreate"),
    path("meetings/<int:pk>/resync/", views.resync, name="resync"),
]
