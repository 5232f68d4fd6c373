from django.urls import path

from zoom import views

app_name = "zoom"

urlpatterns = [
    path("settings/integrations/", views.integrations, name="integrations"),
    path("integrations/zoom/connect/", views.connect, name="connect"),
    path("integrations/zoom/connect-from-form/", views.connect_from_form, name="connect-from-form"),
    path("integrations/zoom/callback/", views.callback, name="callback"),
    path("integrations/zoom/disconnect/", views.disconnect, name="disconnect"),
    path("integrations/zoom/webhook/", views.webhook, name="webhook"),
]
