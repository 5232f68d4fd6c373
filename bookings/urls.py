from django.urls import path

from bookings.views import agenda, appointments, clients, my, public, sessions, settings

app_name = "bookings"

urlpatterns = [
    path("", agenda.agenda, name="agenda"),
    # Staff: appointments
    path("appointments/", appointments.appointment_list, name="appointment-list"),
    path("appointments/new/", appointments.appointment_new, name="appointment-create"),
    path("appointments/<int:pk>/", appointments.appointment_detail, name="appointment-detail"),
    path(
        "appointments/<int:pk>/reschedule/",
        appointments.appointment_reschedule_view,
        name="appointment-reschedule",
    ),
    path(
        "appointments/<int:pk>/cancel/",
        appointments.appointment_cancel_view,
        name="appointment-cancel",
    ),
    # Staff: class sessions and their rosters
    path("sessions/", sessions.session_list, name="session-list"),
    path("sessions/<int:pk>/", sessions.session_detail, name="session-detail"),
    path("sessions/<int:pk>/cancel/", sessions.session_cancel_view, name="session-cancel"),
    path(
        "sessions/<int:pk>/bookings/<int:booking_pk>/cancel/",
        sessions.class_booking_cancel_view,
        name="class-booking-cancel",
    ),
    # Staff: clients
    path("clients/", clients.client_list, name="client-list"),
    path("clients/new/", clients.client_create_view, name="client-create"),
    path("clients/<int:pk>/", clients.client_detail, name="client-detail"),
    path("clients/<int:pk>/edit/", clients.client_edit, name="client-edit"),
    # Settings
    path("settings/opening-hours/", settings.opening_hours, name="opening-hours"),
    # Public booking page (no sign-in)
    path("b/<slug:slug>/", public.public_home, name="public-home"),
    path("b/<slug:slug>/s/<uuid:public_id>/", public.public_service, name="public-service"),
    path(
        "b/<slug:slug>/s/<uuid:public_id>/book/",
        public.public_book_service,
        name="public-book-service",
    ),
    path(
        "b/<slug:slug>/c/<uuid:session_uid>/",
        public.public_book_session,
        name="public-book-session",
    ),
    # The client's own booking, by secret link (no sign-in)
    path("my/a/<str:token>/", my.my_appointment, name="my-appointment"),
    path("my/a/<str:token>/cancel/", my.my_appointment_cancel, name="my-appointment-cancel"),
    path(
        "my/a/<str:token>/reschedule/",
        my.my_appointment_reschedule,
        name="my-appointment-reschedule",
    ),
    path("my/a/<str:token>/invite.ics", my.my_appointment_invite, name="my-appointment-invite"),
    path("my/a/<str:token>/meeting/", my.my_appointment_meeting, name="my-appointment-meeting"),
    path("my/c/<str:token>/", my.my_class_booking, name="my-class-booking"),
    path("my/c/<str:token>/cancel/", my.my_class_booking_cancel, name="my-class-booking-cancel"),
    path("my/c/<str:token>/move/", my.my_class_booking_move, name="my-class-booking-move"),
    path("my/c/<str:token>/invite.ics", my.my_class_booking_invite, name="my-class-booking-invite"),
    path("my/c/<str:token>/meeting/", my.my_class_booking_meeting, name="my-class-booking-meeting"),
]
