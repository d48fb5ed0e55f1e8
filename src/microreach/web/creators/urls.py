from django.urls import path

from microreach.web.creators import views

app_name = "creators"

urlpatterns = [
    path("mine/", views.my_profiles, name="mine"),
    path("claims/<int:claim_id>/check/", views.claim_check, name="claim_check"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:batch_id>/", views.import_detail, name="import_detail"),
    path("accounts/<int:account_id>/avatar.webp", views.account_avatar, name="avatar"),
    path("posts/<int:post_id>/thumbnail.webp", views.post_thumbnail, name="thumbnail"),
]
