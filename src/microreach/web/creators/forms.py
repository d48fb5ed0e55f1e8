from django import forms
from django.utils.translation import gettext_lazy as _

from microreach.web.accounts.contracts import brand_side_organisations
from microreach.web.creators.models import Network
from microreach.web.creators.staging import STAGE_COLUMNS


class ClaimForm(forms.Form):
    network = forms.ChoiceField(label=_("Network"), choices=Network.choices)
    handle = forms.CharField(label=_("Handle"), max_length=100)

    def clean_handle(self) -> str:
        """The handle as accounts store it: what is typed after the "@" (``@lea_cuisine `` and
        ``@ Lea_Cuisine`` are ``lea_cuisine``); never an "@" in it, never a space."""
        handle = str(self.cleaned_data["handle"]).strip().lstrip("@").strip().lower()
        if not handle:
            raise forms.ValidationError(_("Type the handle after the @."), code="required")
        if any(c.isspace() for c in handle):
            raise forms.ValidationError(_("A handle has no spaces."), code="invalid")
        return handle


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


def _owner_choices() -> list[tuple[str | int, str]]:
    """The organisations that may own follower samples, named as the admin names them (read per form)."""
    return [("", "---------")] + [(o.id, f"{o.name} ({o.kind})") for o in brand_side_organisations()]


class ImportForm(forms.Form):
    files = MultipleFileField(label=_("Files (CSV, JSON Lines or Parquet)"))
    record_type = forms.ChoiceField(
        label=_("Record type of files that do not declare it"),
        choices=[("", _("Declared in each file"))] + [(t, t) for t in STAGE_COLUMNS],
        required=False,
    )
    # the organisation's id (None: no owner)
    organisation = forms.TypedChoiceField(
        label=_("Organisation that owns follower samples"),
        choices=_owner_choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    share_aggregates = forms.BooleanField(
        label=_("Share the aggregate figures with every brand"),
        help_text=_(
            "The fake-follower share measured on these follower samples (with its interval and audience types) "
            "becomes visible to every brand; the followers themselves stay private to the organisation."
        ),
        required=False,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("share_aggregates") and not data.get("organisation"):
            self.add_error(
                "organisation", _("Choose the organisation that owns the follower samples it shares.")
            )
        return data
