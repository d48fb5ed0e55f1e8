from django.urls import path

from microreach.web.campaigns import decide_views, my_data_views, shipping_views, views, wizard_views

app_name = "campaigns"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("new/steps/", wizard_views.wizard_new, name="wizard_new"),
    path("new/steps/summary/", wizard_views.wizard_summary, name="wizard_summary_new"),
    path("<int:pk>/steps/", wizard_views.wizard_resume, name="wizard_resume"),
    path("<int:pk>/steps/summary/", wizard_views.wizard_summary, name="wizard_summary"),
    path("<int:pk>/steps/<slug:step>/", wizard_views.wizard_step, name="wizard_step"),
    path("<int:pk>/photos/<int:photo_id>/", wizard_views.photo, name="photo"),
    path("<int:pk>/photos/<int:photo_id>/delete/", wizard_views.photo_delete, name="photo_delete"),
    path("my-data/", my_data_views.my_data, name="my_data"),
    path("my-data/delete/", my_data_views.my_data_delete, name="my_data_delete"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/duplicate/", views.duplicate, name="duplicate"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("invite/", views.invite_shortlist, name="invite_shortlist"),
    path("<int:pk>/addresses.csv", views.addresses, name="addresses"),
    path("<int:pk>/sales/", views.sales, name="sales"),
    path("<int:pk>/shipping/", shipping_views.shipping_page, name="shipping"),
    path("<int:pk>/shipping/template.csv", shipping_views.shipping_template, name="shipping_template"),
    path("<int:pk>/applicants/", decide_views.applicants, name="applicants"),
    path("<int:pk>/applicants/bulk/", decide_views.applicants_bulk, name="applicants_bulk"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/brief/", views.brief, name="brief"),
    path("applications/<int:pk>/", views.application, name="application"),
    path(
        "applications/<int:pk>/decide/<slug:action>/", decide_views.applicant_decide, name="applicant_decide"
    ),
    path("applications/<int:pk>/<slug:action>/", views.application_action, name="application_action"),
    path("drafts/<int:pk>/review/", views.draft_review, name="draft_review"),
    path("drafts/<int:pk>/media/", views.draft_media, name="draft_media"),
    path("drafts/<int:pk>/poster/", views.draft_poster, name="draft_poster"),
    path("posts/<int:pk>/capture/", views.post_capture, name="post_capture"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder_read"),
]
