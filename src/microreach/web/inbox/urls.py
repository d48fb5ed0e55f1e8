from django.urls import path

from microreach.web.inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.index, name="index"),
]
