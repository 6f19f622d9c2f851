"""Unit tests of event rules on short sentences."""
from civgraph.ingest.clauses import find_counts
from civgraph.ingest.dates import find_dates
from civgraph.ingest.model import Span


def _counts(text: str) -> list[int]:
    return [value for _, value, _ in find_counts(text, Span(0, len(text)))]


def test_weekend_of_is_not_vague() -> None:
    found = find_dates("They spent the weekend of 9 and 10 November 2019 in Kut.")
    assert [(d.first, d.last) for d in found] == [("2019-11-09", "2019-11-10")]


def test_end_of_month_stays_vague() -> None:
    assert find_dates("by the end of 9 May") == []


def test_counts_attendance_and_in_all() -> None:
    assert _counts("Attendance was recorded at nineteen participants on each day.") == [19]
    assert _counts("The hall was full: ninety-two people in all.") == [92]


def test_planned_count_but_not_registrations() -> None:
    assert _counts("The camp will host 40 participants.") == [40]
    assert _counts("The camp will host 40 participants; 120 people registered.") == []


def test_no_number_no_count() -> None:
    assert _counts("Members of the forum took part in the march.") == []
