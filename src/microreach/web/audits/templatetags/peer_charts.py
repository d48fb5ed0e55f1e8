"""``{% engagement_peers_chart audit_id %}``: an audit's engagement-vs-peers chart (``audits/peer_chart``)
for pages and PDFs of other contexts (the campaign report) that hold only the summary's ``audit_id``."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from microreach.web.audits.models import AuditRecord
from microreach.web.audits.peer_chart import engagement_vs_peers_chart

register = template.Library()


@register.simple_tag
def engagement_peers_chart(audit_id: int | None) -> SafeString:
    """The chart of audit ``audit_id`` (the one the viewer's summary names), or an empty string."""
    if not audit_id:
        return SafeString("")
    row = AuditRecord.objects.filter(pk=audit_id).values("population_id", "result").first()
    if row is None:
        return SafeString("")
    return engagement_vs_peers_chart(population_id=row["population_id"], result=row["result"])
