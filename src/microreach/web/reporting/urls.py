from django.urls import path

from microreach.web.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("campaigns/<int:pk>/", views.report_page, name="report"),
    path("campaigns/<int:pk>/report.<str:fmt>", views.export, name="export"),
    path("campaigns/<int:pk>/share/", views.share_create, name="share_create"),
    path("links/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("shared/<str:token>/report.<str:fmt>", views.shared_export, name="shared_export"),
]
