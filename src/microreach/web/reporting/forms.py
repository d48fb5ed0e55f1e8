from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from microreach.web.reporting.services import MAX_SHARE_DAYS


class ShareLinkForm(forms.Form):
    label = forms.CharField(label=_("For whom (only you see this)"), max_length=200, required=False)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=MAX_SHARE_DAYS, initial=30)
