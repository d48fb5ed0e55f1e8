"""Writes of a campaign's photos: its cover (one, replaced) and its product photos (a few).

A photo passes the campaigns' upload check (``uploads.checked_upload``: content-checked, no markup, an
image type we keep), is turned upright, shrunk to fit ``COVER_PX`` / ``PRODUCT_PX`` (never enlarged, the
aspect kept) and re-encoded as WebP without metadata by Pillow; it is served by ``uploads.file_response``.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns import uploads
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.machine import C
from microreach.web.campaigns.models import CampaignPhoto
from microreach.web.campaigns.services._common import brand_campaign, brand_or_404, event_log
from microreach.web.errors import ErrorCode
from microreach.web.pictures import PICTURE_MAX_PIXELS

COVER_PX = 1600
PRODUCT_PX = 1000
MAX_PRODUCT_PHOTOS = 8


def _resized(file: UploadedFile, *, size: int, field: str) -> tuple[ContentFile[bytes], int, int]:
    try:
        with Image.open(file) as image:
            if image.width * image.height > PICTURE_MAX_PIXELS:
                raise InvalidInput(
                    ErrorCode.INVALID_INPUT, _("This picture has too many pixels."), {"field": field}
                )
            image.seek(0)
            rgb = ImageOps.exif_transpose(image).convert("RGB")
    except InvalidInput:
        raise
    except Exception as error:  # a truncated image passes the check and fails when decoded
        raise InvalidInput(
            ErrorCode.DAMAGED_FILE, _("The picture does not decode."), {"field": field}
        ) from error
    rgb.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    rgb.save(out, "WEBP", quality=82)
    stem = (file.name or "photo").rsplit(".", 1)[0]
    return ContentFile(out.getvalue(), name=f"{stem}.webp"), rgb.width, rgb.height


@transaction.atomic
def photo_add(*, tenant: Tenant, campaign_id: int, file: UploadedFile, kind: str) -> CampaignPhoto:
    """Store ``file`` as the campaign's cover (replacing the previous one) or as a product photo."""
    brand_or_404(tenant)
    campaign = brand_campaign(tenant, campaign_id, lock=True)
    field = "cover" if kind == CampaignPhoto.Kind.COVER else "product_photo"
    if campaign.state not in (C.DRAFT, C.OPEN):
        raise InvalidInput(
            ErrorCode.INVALID_INPUT, _("This campaign can no longer be edited."), {"field": field}
        )
    checked = uploads.checked_upload(file, field=field, allow_video=False)
    if kind == CampaignPhoto.Kind.PRODUCT and campaign.photos.filter(kind=kind).count() >= MAX_PRODUCT_PHOTOS:
        raise InvalidInput(
            ErrorCode.INVALID_INPUT,
            _("At most %(n)s product photos: remove one first.") % {"n": MAX_PRODUCT_PHOTOS},
            {"field": field},
        )
    content, width, height = _resized(checked, size=COVER_PX if field == "cover" else PRODUCT_PX, field=field)
    if field == "cover":
        for old in campaign.photos.filter(kind=CampaignPhoto.Kind.COVER):
            old.image.delete(save=False)
            old.delete()
    photo = CampaignPhoto(
        organisation_id=campaign.organisation_id, campaign=campaign, kind=kind, width=width, height=height
    )
    photo.image.save(content.name or "photo.webp", content, save=True)
    event_log(campaign, "campaign.photo_added", actor_id=tenant.user_id, kind=kind)
    return photo


@transaction.atomic
def photo_remove(*, tenant: Tenant, campaign_id: int, photo_id: int) -> None:
    brand_or_404(tenant)
    campaign = brand_campaign(tenant, campaign_id, lock=True)
    photo = campaign.photos.filter(pk=photo_id).first()
    if photo is not None:
        photo.image.delete(save=False)
        photo.delete()
