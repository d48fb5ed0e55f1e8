"""``/_fake/<network>/…``: each network's paths as on its official hosts (see the clients' URLs)."""

from django.urls import path, re_path

from microreach.web.fake_networks import instagram_views, pictures, tiktok_views, views, youtube_views

app_name = "fake_networks"

urlpatterns = [
    # each network's CDN: profile pictures and posts' covers
    re_path(
        rf"^(?P<network>youtube|instagram|tiktok)/cdn/{pictures.NAME_PATTERN}\.jpg$",
        pictures.picture,
        name="picture",
    ),
    # YouTube: accounts.google.com, oauth2.googleapis.com, www.googleapis.com, youtubeanalytics.googleapis.com
    path("youtube/o/oauth2/v2/auth", views.authorize, {"network": "youtube"}, name="youtube-authorize"),
    path("youtube/token", views.token, {"network": "youtube"}),
    path("youtube/revoke", views.revoke, {"network": "youtube"}),
    path("youtube/youtube/v3/channels", youtube_views.youtube_channels),
    path("youtube/youtube/v3/playlistItems", youtube_views.youtube_playlist_items),
    path("youtube/youtube/v3/videos", youtube_views.youtube_videos),
    path("youtube/youtube/v3/commentThreads", youtube_views.youtube_comment_threads),
    path("youtube/v2/reports", youtube_views.youtube_reports),
    # Instagram: www.facebook.com/<version>/dialog/oauth and graph.facebook.com/<version>/…
    re_path(
        r"^instagram/v[0-9.]+/dialog/oauth$",
        views.authorize,
        {"network": "instagram"},
        name="instagram-authorize",
    ),
    re_path(r"^instagram/v[0-9.]+/oauth/access_token$", views.token, {"network": "instagram"}),
    re_path(r"^instagram/v[0-9.]+/me/accounts$", instagram_views.instagram_accounts),
    re_path(r"^instagram/v[0-9.]+/me/permissions$", instagram_views.instagram_permissions),
    re_path(r"^instagram/v[0-9.]+/(?P<node>[0-9]{1,30})/media$", instagram_views.instagram_media),
    re_path(r"^instagram/v[0-9.]+/(?P<node>[0-9]{1,30})/insights$", instagram_views.instagram_insights),
    re_path(r"^instagram/v[0-9.]+/(?P<node>[0-9]{1,30})$", instagram_views.instagram_node),
    # TikTok: www.tiktok.com and open.tiktokapis.com
    path("tiktok/v2/auth/authorize/", views.authorize, {"network": "tiktok"}, name="tiktok-authorize"),
    path("tiktok/v2/oauth/token/", views.token, {"network": "tiktok"}),
    path("tiktok/v2/oauth/revoke/", views.revoke, {"network": "tiktok"}),
    path("tiktok/v2/user/info/", tiktok_views.tiktok_user_info),
    path("tiktok/v2/video/list/", tiktok_views.tiktok_video_list),
    path("tiktok/v2/video/query/", tiktok_views.tiktok_video_query),
    path("tiktok/oembed", tiktok_views.tiktok_oembed),
    path("tiktok/v2/research/video/query/", tiktok_views.tiktok_research_video_query),
]
