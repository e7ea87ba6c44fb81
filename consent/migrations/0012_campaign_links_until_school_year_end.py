"""Campaign links now work until the end of the school year (withdrawing as easy as giving, AVG art. 7(3)):
campaigns that are running get that end too. Campaigns already closed stay closed."""

import datetime

from django.db import migrations
from django.utils import timezone


def extend_running_campaigns(apps, schema_editor):
    ConsentCampaign = apps.get_model("consent", "ConsentCampaign")
    now = timezone.now()
    for campaign in ConsentCampaign.objects.filter(closes_at__gt=now):
        end_year = int(campaign.school_year.split("-")[1])
        school_year_end = timezone.make_aware(datetime.datetime(end_year, 8, 1))
        if school_year_end > campaign.closes_at:
            campaign.closes_at = school_year_end
            campaign.save(update_fields=["closes_at"])


class Migration(migrations.Migration):
    dependencies = [("consent", "0011_pupil_invitation_by_school")]

    operations = [migrations.RunPython(extend_running_campaigns, migrations.RunPython.noop)]
