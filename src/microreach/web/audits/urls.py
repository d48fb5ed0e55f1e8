from django.urls import path

from microreach.web.audits import views

app_name = "audits"

urlpatterns = [
    path("mine/", views.my_audits, name="mine"),
    path("mine/replies/delete/", views.my_replies_delete, name="replies_delete"),
    path("<str:network>/<str:handle>/", views.audit_page, name="account"),
    path("<str:network>/<str:handle>/run/", views.audit_run, name="run"),
    path("<str:network>/<str:handle>/answer/", views.audit_answer, name="answer"),
]
