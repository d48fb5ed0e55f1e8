from __future__ import annotations

import pytest

from microreach.core.records import Network
from microreach.sources.networks.base import OAuthTokens, RetryPolicy, TokenRevoked, post_reference, rebase


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", (Network.YOUTUBE, "dQw4w9WgXcQ")),
        ("https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ", (Network.YOUTUBE, "dQw4w9WgXcQ")),
        ("https://youtu.be/dQw4w9WgXcQ?si=abc", (Network.YOUTUBE, "dQw4w9WgXcQ")),
        ("https://youtube.com/shorts/dQw4w9WgXcQ", (Network.YOUTUBE, "dQw4w9WgXcQ")),
        ("https://www.youtube.com/live/dQw4w9WgXcQ", (Network.YOUTUBE, "dQw4w9WgXcQ")),
        ("HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ", (Network.YOUTUBE, "dQw4w9WgXcQ")),
        ("https://www.youtube.com/@googledevelopers", None),
        ("https://www.youtube.com/watch?v=short", None),
        ("https://www.instagram.com/p/C3xYz12AbCd/", (Network.INSTAGRAM, "C3xYz12AbCd")),
        ("https://www.instagram.com/reel/C3xYz12AbCd/?igsh=x", (Network.INSTAGRAM, "C3xYz12AbCd")),
        ("https://www.instagram.com/lea.cuisine/p/C3xYz12AbCd/", (Network.INSTAGRAM, "C3xYz12AbCd")),
        ("https://www.instagram.com/lea.cuisine/", None),
        ("https://www.tiktok.com/@lea/video/7234567890123456789", (Network.TIKTOK, "7234567890123456789")),
        ("https://www.tiktok.com/@lea/photo/7234567890123456789", (Network.TIKTOK, "7234567890123456789")),
        ("https://vm.tiktok.com/ZMabcdEF/", (Network.TIKTOK, None)),
        ("https://www.tiktok.com/t/ZTabcdEF/", (Network.TIKTOK, None)),
        ("https://www.tiktok.com/@lea", None),
        ("https://example.com", None),
        ("https://example.com/watch?v=dQw4w9WgXcQ", None),
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", None),
        ("javascript:alert(1)//youtube.com/watch?v=dQw4w9WgXcQ", None),
        ("ftp://youtu.be/dQw4w9WgXcQ", None),
        (" https://youtu.be/dQw4w9WgXcQ", None),
        ("", None),
        (None, None),
    ],
)
def test_post_reference(url, expected):
    assert post_reference(url) == expected


def test_tokens_never_show_in_repr():
    tokens = OAuthTokens(access_token="secret-a", refresh_token="secret-r", scope=("x",))
    assert "secret" not in repr(tokens)
    assert "secret" not in str(tokens)


def test_errors_say_what_and_where():
    error = TokenRevoked("the consent is no longer valid (invalid_grant)", network="youtube", where="token")
    assert str(error) == "youtube token: the consent is no longer valid (invalid_grant)"
    assert error.code == "token_revoked"


def test_backoff_is_capped_full_jitter():
    policy = RetryPolicy(base=1, max_wait=5, random=lambda: 1.0)
    assert [policy.backoff(n) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 5, 5]


def test_rebase_keeps_the_path_under_the_fake():
    assert (
        rebase("https://open.tiktokapis.com/v2/oauth/token/", None)
        == "https://open.tiktokapis.com/v2/oauth/token/"
    )
    assert (
        rebase("https://open.tiktokapis.com/v2/oauth/token/", "http://h/_fake/tiktok/")
        == "http://h/_fake/tiktok/v2/oauth/token/"
    )
