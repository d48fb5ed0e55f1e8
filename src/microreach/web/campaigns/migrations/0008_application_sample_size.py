"""The size of the follower sample behind a measured fake share, in the applicants' read model (the
applicants list, the comparison and the API say it as the audit page does).

Applications stored before are filled from the audit they copied (same account, audit time, fake share,
measured).
"""

from django.db import migrations, models

FILL = """
UPDATE campaigns_application SET sample_size = (
    SELECT MAX(a.sample_size) FROM audits_auditrecord a
    WHERE a.account_id = campaigns_application.account_id AND a.as_of = campaigns_application.audit_at
      AND a.fake_source = 'measured' AND a.fake_share = campaigns_application.fake_share
)
WHERE fake_source = 'measured'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0007_draft_poster"),
        ("audits", "0002_audit_summary"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="sample_size",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
