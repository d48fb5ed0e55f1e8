from django.urls import path

from microreach.web.connections import views

app_name = "connections"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:network>/start/", views.start, name="start"),
    path("<slug:network>/callback/", views.callback, name="callback"),
    path("<int:pk>/sync/", views.sync_now, name="sync"),
    path("<int:pk>/disconnect/", views.disconnect, name="disconnect"),
    path("delete-all/", views.delete_all, name="delete_all"),
]
