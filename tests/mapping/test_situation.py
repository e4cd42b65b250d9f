"""The read-only door other apps use: a municipality's latest submitted report, what was tried, who is similar."""

import datetime as dt

from django.utils import timezone

from trygg.core.models import Municipality
from trygg.mapping import situation
from trygg.mapping.models import Report, ReportMeasure, Round


def _round(questionnaire, name, days_ago):
    opens = timezone.now() - dt.timedelta(days=days_ago)
    return Round.objects.create(
        name=name, questionnaire=questionnaire, opens_at=opens, deadline=opens + dt.timedelta(days=5)
    )


def _report(round, names, status=Report.Status.SUBMITTED, measures=(), **answers):
    report = Report.objects.create(round=round, status=status, **answers)
    report.municipalities.set(Municipality.objects.filter(name__in=names))
    for key, title, experience in measures:
        ReportMeasure.objects.create(
            report=report, stage="activity", measure_key=key, title=title, experience=experience
        )
    return report


def test_the_latest_report_is_the_newest_rounds_submitted_one(municipalities, questionnaire):
    bergen = Municipality.objects.get(name="Bergen")
    old, new = _round(questionnaire, "2011", 400), _round(questionnaire, "2012", 30)
    # Created in the "wrong" order: the round's opening decides, not the primary key.
    newer = _report(new, ["Bergen"], hosts_group="yes")
    _report(old, ["Bergen"], hosts_group="no")
    assert situation.latest_report(bergen) == newer


def test_drafts_never_count(municipalities, questionnaire):
    bergen = Municipality.objects.get(name="Bergen")
    submitted = _report(_round(questionnaire, "2011", 400), ["Bergen"], hosts_group="no")
    _report(_round(questionnaire, "2012", 30), ["Bergen"], status=Report.Status.DRAFT, hosts_group="yes")
    assert situation.latest_report(bergen) == submitted
    assert situation.latest_report(Municipality.objects.get(name="Oslo")) is None


def test_measures_taken_come_from_each_latest_report_and_a_region_counts_for_all(municipalities, questionnaire):
    old, new = _round(questionnaire, "2011", 400), _round(questionnaire, "2012", 30)
    _report(old, ["Askøy"], measures=[("", "Gammelt tiltak", "worked")])
    _report(new, ["Askøy", "Øygarden"], measures=[("skjenkekontroll", "Skjenkekontroll", "did_not")])
    _report(new, ["Alver"], status=Report.Status.DRAFT, measures=[("", "Utkast", "worked")])
    rows = situation.measures_taken(Municipality.objects.filter(name__in=["Askøy", "Øygarden", "Alver"]))
    assert [(r.municipality.name, r.round.name, r.measure_key, r.title, r.experience) for r in rows] == [
        ("Askøy", "2012", "skjenkekontroll", "Skjenkekontroll", "did_not"),
        ("Øygarden", "2012", "skjenkekontroll", "Skjenkekontroll", "did_not"),
    ]


def test_similar_municipalities_answer_group_crews_and_known_recruitment_alike(municipalities, questionnaire):
    round = _round(questionnaire, "2011", 30)
    answers = {"hosts_group": "yes", "crews": "yes"}
    _report(round, ["Bergen"], recruitment_signs="yes", **answers)
    _report(round, ["Oslo"], recruitment_signs="yes", **answers)
    _report(round, ["Stavanger"], recruitment_signs="no", **answers)
    _report(round, ["Drammen"], hosts_group="no", crews="yes", recruitment_signs="yes")
    bergen = Municipality.objects.get(name="Bergen")
    assert [m.name for m in situation.similar_municipalities(bergen)] == ["Oslo"]
    # Recruitment unknown: it does not count.
    unknown = {"hosts_group": "yes", "crews": "yes", "recruitment_signs": "unknown"}
    assert [m.name for m in situation.similar_municipalities(bergen, unknown)] == ["Oslo", "Stavanger"]
    # Without a report or answers there is nothing to compare with.
    assert situation.similar_municipalities(Municipality.objects.get(name="Skien")) == []


def test_group_answers_give_each_municipalitys_latest_answer(municipalities, questionnaire):
    _report(_round(questionnaire, "2011", 30), ["Askøy", "Alver"], hosts_group="no")
    answers = situation.group_answers(Municipality.objects.filter(name__in=["Askøy", "Alver", "Osterøy"]))
    names = {Municipality.objects.get(pk=pk).name: value for pk, value in answers.items()}
    assert names == {"Askøy": "no", "Alver": "no"}
