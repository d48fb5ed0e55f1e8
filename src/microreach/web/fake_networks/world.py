"""The fake networks' accounts and posts, generated (no storage): the same account and post always have
the same ids and figures, and posts are dated back from the current hour, so the newest are recent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True)
class FakeAccount:
    index: int
    handle: str
    name: str
    bio: str
    followers: int
    following: int
    media: int  # posts on each network
    every_hours: int = 6  # one post every so many hours, newest first

    # network ids, in each network's own format
    @property
    def youtube_id(self) -> str:  # "UC" + 22 characters
        return f"UCfake{self.index:018d}"

    @property
    def instagram_id(self) -> str:
        return f"178414000000000{self.index:02d}"

    @property
    def tiktok_id(self) -> str:  # an open_id
        return f"fake-open-id-{self.index:04d}"

    def account_id(self, network: str) -> str:
        return {"youtube": self.youtube_id, "instagram": self.instagram_id, "tiktok": self.tiktok_id}[network]


ACCOUNTS = (
    FakeAccount(1, "lea.cuisine", "Léa cuisine", "Recettes de saison", 18342, 512, 120),
    FakeAccount(2, "tom.velo", "Tom à vélo", "Cycling every day", 6210, 301, 40),
    FakeAccount(3, "bench.5000", "Benchmark account", "An account with 5,000 posts", 250000, 12, 5000),
    # a micro-influencer's pace (one post a day, 400 posts): the 1,000-account daily-sync benchmark
    FakeAccount(4, "bench.daily", "Daily poster", "One post a day", 9500, 410, 400, every_hours=24),
)
STEP = timedelta(hours=6)  # the default pace: one post every six hours


def account_by(network: str, account_id: str | None = None, handle: str | None = None) -> FakeAccount | None:
    for account in ACCOUNTS:
        if account_id is not None and account.account_id(network) == account_id:
            return account
        if handle is not None and account.handle == handle.lstrip("@"):
            return account
    return None


def anchor(now: datetime | None = None) -> datetime:
    now = now or datetime.now(UTC)
    return now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)


@dataclass(frozen=True)
class FakePost:
    account: FakeAccount
    number: int  # 0 = newest
    published_at: datetime

    @property
    def views(self) -> int:
        return 800 + (self.number * 7919 + self.account.index * 104729) % 40000

    @property
    def likes(self) -> int:
        return self.views // 18

    @property
    def comments(self) -> int:
        return self.views // 350

    @property
    def shares(self) -> int:
        return self.views // 900

    @property
    def caption(self) -> str:
        sponsored = " #ad @marque" if self.number % 10 == 0 else ""
        return f"Post {self.number} by {self.account.name}{sponsored}"

    def post_id(self, network: str) -> str:
        if network == "youtube":  # 11 characters
            return f"v{self.account.index}{self.number:09d}"
        if network == "instagram":
            return f"179{self.account.index:02d}{self.number:012d}"
        return f"73{self.account.index:02d}{self.number:015d}"  # TikTok: 19 digits

    def kind(self, network: str) -> str:
        """instagram: REELS/FEED-IMAGE/FEED-CAROUSEL; youtube: short/video by duration; tiktok: video."""
        return (
            ("reel", "photo", "carousel")[self.number % 3]
            if network == "instagram"
            else ("short" if self.number % 2 else "video")
        )


def post(account: FakeAccount, number: int, now: datetime | None = None) -> FakePost | None:
    if not 0 <= number < account.media:
        return None
    return FakePost(account, number, anchor(now) - number * timedelta(hours=account.every_hours))


def post_by_id(network: str, post_id: str, now: datetime | None = None) -> FakePost | None:
    try:
        if network == "youtube" and len(post_id) == 11 and post_id[0] == "v":
            index, number = int(post_id[1]), int(post_id[2:])
        elif network == "instagram" and len(post_id) == 17 and post_id.startswith("179"):
            index, number = int(post_id[3:5]), int(post_id[5:])
        elif network == "tiktok" and len(post_id) == 19 and post_id.startswith("73"):
            index, number = int(post_id[2:4]), int(post_id[4:])
        else:
            return None
    except ValueError:
        return None
    account = next((a for a in ACCOUNTS if a.index == index), None)
    return post(account, number, now) if account else None
