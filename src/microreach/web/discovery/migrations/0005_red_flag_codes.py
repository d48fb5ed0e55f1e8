"""Red flags stored as codes: rows written before kept the label in the language active at the time."""

from django.db import migrations

LABELS = {
    "engagement pod": "engagement_pod",
    "pod d'engagement": "engagement_pod",
    "follower spike": "follower_spike",
    "pic d'abonnés": "follower_spike",
    "undisclosed sponsorship": "undisclosed_sponsorship",
    "partenariat non signalé": "undisclosed_sponsorship",
    "fake followers": "fake_followers",
    "faux abonnés": "fake_followers",
}


def to_codes(apps, schema_editor):
    SearchRow = apps.get_model("discovery", "SearchRow")
    last = 0
    while True:
        rows = list(SearchRow.objects.filter(pk__gt=last).order_by("pk").only("pk", "red_flags")[:2000])
        if not rows:
            return
        changed = []
        for row in rows:
            codes = [LABELS.get(flag, flag) for flag in row.red_flags or []]
            if codes != row.red_flags:
                row.red_flags = codes
                changed.append(row)
        SearchRow.objects.bulk_update(changed, ["red_flags"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [("discovery", "0004_ranked_index")]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
