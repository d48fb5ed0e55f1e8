from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from microreach.web.api.pagination import Page, PageIn, paginate
from microreach.web.creators import selectors
from microreach.web.creators.schemas import AccountFilterIn, AccountOut, FollowerCountOut, PostOut
from microreach.web.errors import ApplicationError

router = Router(tags=["creators"])


@router.get("/accounts", response=Page[AccountOut], summary="Social accounts (installation-wide), paginated")
def account_list(request: HttpRequest, filters: Query[AccountFilterIn], page: Query[PageIn]):
    if (
        filters.min_followers is not None
        and filters.max_followers is not None
        and filters.min_followers > filters.max_followers
    ):
        raise ApplicationError(
            "inverted_range", "min_followers is greater than max_followers.", {"field": "min_followers"}
        )
    return paginate(selectors.account_list(**filters.dict()), page)


@router.get("/accounts/{network}/{handle}", response=AccountOut, summary="One social account")
def account_detail(request: HttpRequest, network: str, handle: str):
    return selectors.account_get(network=network, handle=handle)


@router.get(
    "/accounts/{network}/{handle}/posts", response=Page[PostOut], summary="Posts of an account, newest first"
)
def account_posts(request: HttpRequest, network: str, handle: str, page: Query[PageIn]):
    account = selectors.account_get(network=network, handle=handle)
    return paginate(selectors.post_list(account=account), page)


@router.get(
    "/accounts/{network}/{handle}/follower-history",
    response=list[FollowerCountOut],
    summary="Daily follower counts (days may be missing)",
)
def account_follower_history(request: HttpRequest, network: str, handle: str):
    account = selectors.account_get(network=network, handle=handle)
    return list(selectors.follower_history(account=account))
