"""The starter catalogue, loaded as an operator would load it: through `manage.py load_measures`."""

import io

import pytest
from django.core.management import CommandError, call_command

from trygg.measures import catalogue, markdown, starter
from trygg.measures.models import (
    Actor,
    Backfire,
    Chapter,
    Effect,
    Measure,
    MeasureVersion,
    Mechanism,
    Quality,
    Stage,
    Transferability,
    Verdict,
)

QUALITY_FIELDS = [name for name, choices in catalogue.CHOICE_FIELDS.items() if choices is Quality]


def load_measures() -> None:
    call_command("load_measures", stdout=io.StringIO())


@pytest.fixture
def measures(db):
    load_measures()
    return list(Measure.objects.prefetch_related("sources", "experiences__source", "versions"))


def test_at_least_25_measures_are_published_each_with_sources_and_its_history(measures):
    assert len(measures) >= 25
    for measure in measures:
        assert measure.status == Measure.Status.PUBLISHED, measure.key
        assert measure.sources.exists(), measure.key
        assert catalogue.publish_problems(measure) == [], measure.key
        history = sorted(measure.versions.all(), key=lambda version: version.revision)
        assert [version.status for version in history] == ["draft", "review", "published"], measure.key
        assert history[0].reason == starter.REASON


def test_every_experience_cites_one_of_its_measures_sources(measures):
    experiences = [(measure, experience) for measure in measures for experience in measure.experiences.all()]
    assert len(experiences) >= 15
    for measure, experience in experiences:
        assert experience.source in measure.sources.all(), (measure.key, experience.outcome)
        assert experience.country and experience.outcome.strip()


def test_every_mechanism_and_stage_is_covered_and_the_negative_verdicts_are_there(measures):
    assert {m for measure in measures for m in measure.mechanisms} == set(Mechanism.values)
    assert {s for measure in measures for s in measure.stages} == set(Stage.values)
    verdicts = {measure.key: measure.verdict for measure in measures}
    assert verdicts["sivilrettslig-forbud"] == Verdict.NO_EFFECT
    assert verdicts["vlad-lovene"] == Verdict.NO_EFFECT
    # After the editorial review (November 2026): the catalogue's own scale, not hope, decides.
    assert verdicts["ensartede-innstramminger"] == Verdict.INCONCLUSIVE
    assert verdicts["exitprogram"] == Verdict.INCONCLUSIVE
    assert verdicts["administrativ-tilnaerming"] == Verdict.INCONCLUSIVE
    assert verdicts["fokusert-avskrekking"] == Verdict.PROMISING
    # Honest about thin evidence: most verdicts are inconclusive, and none claims to be proven effective.
    assert list(verdicts.values()).count(Verdict.INCONCLUSIVE) > len(measures) / 2
    assert Verdict.EFFECTIVE not in verdicts.values()


def test_the_known_backfires_are_tagged(measures):
    backfires = {measure.key: set(measure.backfires) for measure in measures}
    assert Backfire.DISPLACEMENT in backfires["sivilrettslig-forbud"]
    assert Backfire.NO_CONVICTIONS in backfires["vlad-lovene"]
    assert Backfire.COHESION in backfires["ensartede-innstramminger"]
    assert Backfire.SHORT_LIVED in backfires["klubbhusforbud"]


def test_every_value_is_on_its_scale_and_every_text_fits_its_field(measures):
    for measure in measures:
        assert set(measure.mechanisms) <= set(Mechanism.values), measure.key
        assert set(measure.stages) <= set(Stage.values), measure.key
        assert set(measure.actors) <= set(Actor.values) and measure.actors, measure.key
        assert set(measure.backfires) <= set(Backfire.values), measure.key
        assert measure.verdict in Verdict.values, measure.key
        assert measure.transferability in Transferability.values, measure.key
        assert measure.transferability_reason.strip(), measure.key
        assert measure.effect is None or measure.effect in Effect.values, measure.key
        for name in QUALITY_FIELDS:
            assert getattr(measure, name) in ("", *Quality.values), (measure.key, name)
        assert len(measure.name) <= 200 and len(measure.summary) <= 500, measure.key
        assert measure.key not in catalogue.RESERVED_KEYS and measure.key.isascii(), measure.key
        for source in measure.sources.all():
            assert not source.url or source.url.startswith("https://"), source.reference


def test_no_text_contains_html_and_every_markdown_field_renders(measures):
    for measure in measures:
        for name in ("name", "summary", *catalogue.MARKDOWN_FIELDS):
            text = getattr(measure, name)
            assert markdown.html_found(text) == [], (measure.key, name)
            if name in catalogue.MARKDOWN_FIELDS and text.strip():
                assert markdown.to_html(text).strip(), (measure.key, name)
                assert markdown.to_blocks(text), (measure.key, name)
        for experience in measure.experiences.all():
            assert markdown.html_found(experience.outcome) == [], measure.key
    for chapter in Chapter.objects.all():
        assert markdown.html_found(chapter.title + chapter.body) == [], chapter.slug
        assert "<h3>" in markdown.to_html(chapter.body), chapter.slug
        assert markdown.to_blocks(chapter.body), chapter.slug


def test_the_guides_chapters_are_loaded_before_and_after_the_measures(measures):
    chapters = {chapter.slug: chapter for chapter in Chapter.objects.all()}
    assert len(chapters) == 6
    before = sorted((c.position, c.slug) for c in chapters.values() if c.placement == Chapter.Placement.BEFORE)
    assert [slug for _position, slug in before][:2] == ["om-veilederen", "mc-kriminalitet-og-enprosentmiljoet"]
    assert chapters["slik-kommer-kommunen-i-gang"].placement == Chapter.Placement.AFTER
    assert all(len(chapter.body) > 1000 for chapter in chapters.values())


def test_loading_again_creates_nothing_and_keeps_what_editors_changed(measures, editor):
    edited = Measure.objects.get(key="klubbhusforbud")
    catalogue.save_measure(
        editor,
        edited,
        {**catalogue.snapshot(edited), "summary": "Redaktørens egen oppsummering."},
        sources=catalogue.snapshot(edited)["sources"],
        experiences=catalogue.snapshot(edited)["experiences"],
        reason="Redigert etter gjennomgang",
        revision=edited.revision,
    )
    chapter = Chapter.objects.get(slug="om-veilederen")
    chapter.body = "Redaktørens egen tekst."
    chapter.save()
    counts = (Measure.objects.count(), MeasureVersion.objects.count(), Chapter.objects.count())

    load_measures()

    assert (Measure.objects.count(), MeasureVersion.objects.count(), Chapter.objects.count()) == counts
    assert Measure.objects.get(key="klubbhusforbud").summary == "Redaktørens egen oppsummering."
    assert Chapter.objects.get(slug="om-veilederen").body == "Redaktørens egen tekst."


def test_a_file_that_cites_an_unknown_source_is_refused_whole(db, tmp_path):
    (tmp_path / "measures.toml").write_text(
        '[sources.a]\nreference = "En kilde"\nchecked = 2026-11-30\nchecked_by = "Test"\n\n'
        '[[measures]]\nkey = "godt-tiltak"\nname = "Godt"\nsummary = "S"\nmechanisms = ["deterrence"]\n'
        'stages = ["activity"]\nverdict = "inconclusive"\nverdict_reason = "Ukjent."\nverdict_quality = "none"\n'
        'sources = ["a"]\n\n'
        '[[measures]]\nkey = "daarlig-tiltak"\nname = "Dårlig"\nsummary = "S"\nmechanisms = ["deterrence"]\n'
        'stages = ["activity"]\nverdict = "inconclusive"\nverdict_reason = "Ukjent."\nverdict_quality = "none"\n'
        'sources = ["finnes-ikke"]\n'
    )
    (tmp_path / "chapters.toml").write_text("chapters = []\n")
    with pytest.raises(starter.StarterError, match="finnes-ikke"):
        starter.load(directory=tmp_path)
    assert not Measure.objects.exists()


def test_the_command_reports_a_broken_file_as_a_command_error(db, monkeypatch, tmp_path):
    (tmp_path / "measures.toml").write_text(
        '[[measures]]\nkey = "uten-kilde"\nname = "Uten kilde"\nsummary = "S"\nmechanisms = ["deterrence"]\n'
        'stages = ["activity"]\nverdict = "inconclusive"\nverdict_reason = "Ukjent."\nverdict_quality = "none"\n'
        "sources = []\n"
    )
    (tmp_path / "chapters.toml").write_text("chapters = []\n")
    monkeypatch.setattr(starter, "DIRECTORY", tmp_path)
    with pytest.raises(CommandError, match="uten-kilde"):
        load_measures()
    assert not Measure.objects.exists()
