"""An event's support team moves to core's SupportTeam, which cases and networks use too; every member is kept."""

import django.db.models.deletion
from django.db import migrations, models


def to_core(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    OldMember = apps.get_model("events", "SupportMember")
    SupportTeam = apps.get_model("core", "SupportTeam")
    SupportMember = apps.get_model("core", "SupportMember")
    for event in Event.objects.filter(pk__in=OldMember.objects.values("event_id")):
        event.team = SupportTeam.objects.create(name=event.title[:200])
        event.save(update_fields=["team"])
        SupportMember.objects.bulk_create(
            SupportMember(
                team=event.team,
                person_id=old.person_id,
                organisation_id=old.organisation_id,
                role=old.role,
                order=old.order,
            )
            for old in OldMember.objects.filter(event=event).order_by("order", "pk")
        )


def to_events(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    OldMember = apps.get_model("events", "SupportMember")
    SupportMember = apps.get_model("core", "SupportMember")
    for event in Event.objects.filter(team__isnull=False):
        OldMember.objects.bulk_create(
            OldMember(
                event=event,
                person_id=member.person_id,
                organisation_id=member.organisation_id,
                role=member.role,
                order=member.order,
            )
            for member in SupportMember.objects.filter(team_id=event.team_id).order_by("order", "pk")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_support_team"),
        ("events", "0007_delivery_follows_the_worker"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="team",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="event",
                to="core.supportteam",
                verbose_name="support team",
            ),
        ),
        migrations.RunPython(to_core, to_events),
        migrations.DeleteModel(name="SupportMember"),
    ]
