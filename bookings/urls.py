from django.urls import path

from bookings.views import agenda

app_name = "bookings"

urlpatterns = [
    path("", agenda.agenda, name="agenda"),
]
