from django import forms
from django.utils.translation import gettext_lazy as _

from microreach.web.creators.models import Network


class ClaimForm(forms.Form):
    network = forms.ChoiceField(label=_("Network"), choices=Network.choices)
    handle = forms.CharField(label=_("Handle"), max_length=100)
