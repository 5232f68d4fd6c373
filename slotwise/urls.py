from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("bookings.urls")),
    path("", include("accounts.urls")),
    path("catalog/", include("catalog.urls")),
    path("", include("zoom.urls")),
    path("", include("meetings.urls")),
    path("help/", include("support.urls")),
    path("admin/", admin.site.urls),
]
