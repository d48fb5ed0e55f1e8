import hashlib

from django.db import migrations, models

# Same formula as accounts.services.password_stamp (a migration keeps its own copy: code may change).
STAMP_SALT = "microreach.accounts.api-token-password-stamp:"


def stamp_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in ApiToken.objects.select_related("user").filter(password_stamp=""):
        stamp = hashlib.sha256((STAMP_SALT + token.user.password).encode("utf-8")).hexdigest()
        ApiToken.objects.filter(pk=token.pk).update(password_stamp=stamp)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_external_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="password_stamp",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(stamp_existing_tokens, migrations.RunPython.noop),
    ]
