from django.urls import path

from microreach.web.discovery import views

app_name = "discovery"

urlpatterns = [
    path("", views.search, name="search"),
    path("facets/", views.facets, name="facets"),
    path("index-status/", views.index_status, name="index_status"),
    path("creators/<int:account_id>/", views.creator_detail, name="creator"),
    path("creators/<int:account_id>/lookalikes/", views.creator_lookalikes, name="lookalikes"),
    path("shortlists/", views.shortlists, name="shortlists"),
    path("shortlists/add/", views.shortlist_add, name="shortlist_add"),
    path("shortlists/<int:shortlist_id>/", views.shortlist_detail, name="shortlist"),
    path("shortlists/<int:shortlist_id>/export.csv", views.shortlist_export, name="shortlist_export"),
    path("shortlists/<int:shortlist_id>/delete/", views.shortlist_delete, name="shortlist_delete"),
    path("shortlists/entries/<int:entry_id>/note/", views.entry_note, name="entry_note"),
    path("shortlists/entries/<int:entry_id>/remove/", views.entry_remove, name="entry_remove"),
    path("saved/", views.saved_search_create, name="saved_create"),
    path("saved/<int:saved_search_id>/", views.saved_search_open, name="saved_open"),
    path("saved/<int:saved_search_id>/delete/", views.saved_search_delete, name="saved_delete"),
]
