from django.urls import path

from support import views

app_name = "support"

# No object ids: a business has one conversation, found from the signed-in member, so there
# is nothing another business could address.
urlpatterns = [
    path("zoom/", views.zoom_help, name="zoom-help"),
    path("chat/", views.chat, name="chat"),
    path("chat/messages/", views.chat_messages, name="chat-messages"),
]
