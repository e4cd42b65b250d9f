"""One municipality's full youth-survey report over a million answer sets, against polars computing the same table.

The report (``youth.reports.report``): every core indicator by gender and by grade, beside the county and the
country, with the trend over the municipality's surveys, all through core's disclosure control. It reads the tallies
kept as answers arrive and as surveys close. Polars computes the same counts from the answer sets themselves (held in
memory, loaded before the clock starts), and the same assembly and suppression turn them into the report; the two
reports are asserted equal, figure by figure. Goal: report under 300 ms and no more than twice polars' time.

Uses a throwaway SQLite database (or DATABASE_URL); loads the answer sets with ``youth_synth`` first.
Run: .venv/bin/python bench/youth_report.py [N] [MUNICIPALITY]
Last line: ``youth_report report_ms=<median> polars_ms=<median> ratio=<x>``.
"""

import statistics
import sys
import time
from collections import defaultdict

from youth_synth import bench_database, synthesise

RUNS = 15


def answer_frame():
    """Every answer set as a row: its survey's year, municipality and county, gender, grade and indicator answers."""
    import polars as pl

    from trygg.questionnaires.models import IndicatorRule
    from trygg.youth.models import Response, Survey

    items = sorted(set(IndicatorRule.objects.values_list("item__code", flat=True)))
    columns = defaultdict(list)
    rows = Response.objects.values_list("survey_id", "grade", "gender", "answers").iterator(chunk_size=20_000)
    for survey, grade, gender, answers in rows:
        columns["survey"].append(survey)
        columns["grade"].append(grade)
        columns["gender"].append(gender)
        for item in items:
            columns[item].append(answers.get(item))
    surveys = pl.DataFrame(
        list(Survey.objects.values_list("pk", "starts_on__year", "municipality__county__number", "status")),
        schema=["survey", "year", "county", "status"],
        orient="row",
    )
    frame = pl.DataFrame(dict(columns), schema_overrides={"grade": pl.Int64})
    return frame.join(surveys, on="survey")


def polars_counts(frame, surveys, county: str, rules) -> list[list[dict]]:
    """``reports.counts`` computed from the answer sets: per survey, (municipality, county, country) counts."""
    import polars as pl

    from trygg.questionnaires.models import DECLINED
    from trygg.youth.models import Survey, level_of

    aggregates = []
    for rule in {rule.indicator.code: rule for rule in rules}.values():
        answer = pl.col(rule.item.code)
        counted = answer.is_in(rule.denominator) if rule.denominator else answer.is_not_null() & (answer != DECLINED)
        counted = counted.fill_null(False)
        hit = counted & answer.is_in(rule.numerator).fill_null(False)
        aggregates += [hit.sum().alias(f"{rule.indicator.code}|n"), counted.sum().alias(f"{rule.indicator.code}|d")]
    published = frame.lazy().filter(
        pl.col("year").is_in([survey.year for survey in surveys]) & (pl.col("status") == Survey.Status.CLOSED)
    )
    own, area, country = pl.collect_all(
        [
            published.filter(pl.col("survey").is_in([survey.pk for survey in surveys]))
            .group_by("survey", "gender", "grade")
            .agg(aggregates),
            published.filter(pl.col("county") == county).group_by("year", "gender", "grade").agg(aggregates),
            published.group_by("year", "gender", "grade").agg(aggregates),
        ]
    )
    codes = [name[:-2] for name in own.columns if name.endswith("|n")]

    def tallies(table, key: str) -> dict:
        result = defaultdict(lambda: defaultdict(dict))
        for row in table.iter_rows(named=True):
            for code in codes:
                cell = (row[f"{code}|n"], row[f"{code}|d"])
                result[row[key]][(code, level_of(row["grade"]))][(row["gender"], row["grade"])] = cell
        return result

    own, area, country = tallies(own, "survey"), tallies(area, "year"), tallies(country, "year")
    return [[own[survey.pk], area[survey.year], country[survey.year]] for survey in surveys]


def median_ms(function) -> tuple[float, object]:
    times, result = [], None
    for _run in range(RUNS):
        start = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    name = sys.argv[2] if len(sys.argv) > 2 else "Bergen"
    with bench_database("trygg-bench-youth-report-"):
        from django.utils import translation

        from trygg.youth import reports
        from trygg.youth.models import Survey

        stored, _surveys = synthesise(n)
        frame = answer_frame()
        survey = (
            Survey.objects.select_related("municipality__county").filter(municipality__name=name).latest("starts_on")
        )

        def with_polars():
            surveys = reports.earlier_surveys(survey)
            years = polars_counts(frame, surveys, survey.municipality.county.number, reports.rules_of(survey))
            return reports.assemble(surveys, years, reports.rules_of(survey))

        with translation.override("nb"):
            report_ms, report = median_ms(lambda: reports.report(survey))
            polars_ms, expected = median_ms(with_polars)
        assert report == expected, "the report and polars disagree"
        indicators = [indicator for level in report for indicator in level["indicators"]]
        figures = [figure for indicator in indicators for row in indicator["rows"] for figure in row["figures"]]
        trend = sum(len(indicator["trend"]) for indicator in indicators)
        hidden = sum(1 for figure in figures if figure.hidden)
        print(f"answers={stored} municipality={name} surveys={len(reports.earlier_surveys(survey))} "
              f"figures={len(figures)} hidden={hidden} trend_points={trend}")  # fmt: skip
        print(f"youth_report report_ms={report_ms:.1f} polars_ms={polars_ms:.1f} ratio={report_ms / polars_ms:.2f}")


if __name__ == "__main__":
    main()
