"""The size of the follower sample behind a measured fake share, in the search read model: a card says
"measured on a sample of 1,200 followers", and the search API's ``follower_sample_size`` is the audit's.

Rows written before are filled from the audit they copied (same account, time the audit was stored, fake share, measured).
A nullable column without a default is added in place on SQLite too: the FTS5 triggers stay.
"""

from django.db import migrations, models

FILL = """
UPDATE discovery_searchrow SET sample_size = (
    SELECT MAX(a.sample_size) FROM audits_auditrecord a
    WHERE a.account_id = discovery_searchrow.account_id AND a.created_at = discovery_searchrow.audit_at
      AND a.fake_source = 'measured' AND a.fake_share = discovery_searchrow.fake_share
)
WHERE fake_source = 'measured'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0008_qualified_search_functions"),
        ("audits", "0002_audit_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchrow",
            name="sample_size",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
