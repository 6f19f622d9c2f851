"""The extraction rules, one by one, on short reports written for these tests.

Each test states a rule in a sentence or two and checks the facts that come out, and
(where precision is the point) the facts that must not.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import RDF

from civgraph.graph.namespaces import CG, ORG, SDO
from civgraph.ingest.clauses import find_counts, number_value
from civgraph.ingest.dates import find_dates
from civgraph.ingest.extract import extract
from civgraph.ingest.gazetteer import Gazetteer, authority_graph, is_weak_name
from civgraph.ingest.mentions import canonical_forum
from civgraph.ingest.model import Span
from civgraph.ingest.pipeline import SAMPLES
from civgraph.ingest.read import parse_document, read_document
from civgraph.ingest.sentences import sentences, unwrap

BASE = "https://example.org/id/"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.from_graph(authority_graph(BASE))


def run(text: str, gaz: Gazetteer, name: str = "t.md"):
    doc = parse_document(text.encode(), name, name)
    return extract(doc, gaz, BASE)


def short(node) -> str:
    text = str(node)
    if text.startswith(BASE):
        return text[len(BASE):]
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def facts(ex, predicate: URIRef) -> set[tuple[str, str]]:
    return {(short(f.subject), short(f.object)) for f in ex.facts if f.predicate == predicate}


def events(ex) -> list:
    return [e for e in ex.entities.values() if (e.iri, RDF.type, SDO.Event) in
            {(f.subject, f.predicate, f.object) for f in ex.facts}]


# -- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, year, first, last", [
    ("from 3-5 May 2016", None, "2016-05-03", "2016-05-05"),
    ("from 9 to 11 October 2020", None, "2020-10-09", "2020-10-11"),
    ("on 2 and 3 March 2015", None, "2015-03-02", "2015-03-03"),
    ("12 – 19 July 2016", None, "2016-07-12", "2016-07-19"),
    ("29 December 2015 – 3 January 2016", None, "2015-12-29", "2016-01-03"),
    ("on Wednesday 4 May", 2016, "2016-05-04", None),
    ("on 4 May", None, "--05-04", None),
    ("on October 9, 2020", None, "2020-10-09", None),
    ("in March 2015", None, "2015-03", None),
])
def test_dates_and_ranges(text, year, first, last):
    found = find_dates(text, year)
    assert len(found) == 1
    assert (found[0].first, found[0].last) == (first, last)


@pytest.mark.parametrize("text", ["in mid-October 2018", "before 4 May 2016", "early June 2016",
                                  "by the end of March"])
def test_vague_dates_give_nothing(text):
    assert find_dates(text, 2016) == []


@pytest.mark.parametrize("text, year, first, last", [
    ("In January, the group", 2020, "2020-01", None),
    ("from April to June 2020", None, "2020-04", "2020-06"),
    ("between March and May", 2021, "2021-03", "2021-05"),
    ("November 2019 – February 2020", None, "2019-11", "2020-02"),
    ("Nov. 14-16, 2019", None, "2019-11-14", "2019-11-16"),
    ("on Saturday the 9th of November", 2019, "2019-11-09", None),
])
def test_months_and_month_ranges(text, year, first, last):
    found = find_dates(text, year)
    assert [(d.first, d.last) for d in found] == [(first, last)]


def test_month_alone_needs_a_year_and_a_place_that_dates_an_event():
    assert find_dates("In October, the group met.", None) == []
    assert [d.first for d in find_dates("In May, the group met. In June it met again.", 2020)] == ["2020-05", "2020-06"]
    assert [d.first for d in find_dates("The workshop was held in March.", 2020)] == ["2020-03"]
    # a month in a list of plans, or told relative to another year, dates nothing
    assert find_dates("They agreed on a calendar: a marathon in September, a fair in May.", 2020) == []
    assert find_dates("It hosted the meeting in December last year.", 2020) == []


# -- numbers of people -------------------------------------------------------------------

@pytest.mark.parametrize("words, value", [("twenty-two", 22), ("Three hundred", 300),
                                          ("one hundred and five", 105), ("1,250", 1250), ("17", 17)])
def test_number_words(words, value):
    assert number_value(words) == value


@pytest.mark.parametrize("sentence, value", [
    ("Twenty-two volunteers took part in the training.", 22),
    ("The meeting was attended by 31 students and teachers.", 31),
    ("Sixty young women, most of them students, joined the march.", 60),
])
def test_exact_counts(sentence, value):
    assert [v for _, v, _ in find_counts(sentence, Span(0, len(sentence)))] == [value]


@pytest.mark.parametrize("sentence", [
    "Some 40 people attended the festival.",
    "More than 300 runners took part.",
    "Dozens of volunteers joined the clean-up.",
    "About 150 participants attended online.",
    "Nearly 90 activists took part in the sit-in.",
    "1,200 runners had registered for the race.",
    "One of the volunteers attended.",
])
def test_vague_counts_and_registrations_give_nothing(sentence):
    assert find_counts(sentence, Span(0, len(sentence))) == []


# -- names -------------------------------------------------------------------------------

def test_possessive_and_inverted_forum_names():
    assert canonical_forum("Kut's Peace Forum") == "Kut Peace Forum"
    assert canonical_forum("the Peace Forum in Kut") == "Kut Peace Forum"
    assert canonical_forum("Social Forum of Wasit") == "Wasit Social Forum"


def test_variant_forum_names_are_one_entity(gaz):
    ex = run("Kut's Peace Forum met on 4 May 2016. The Peace Forum in Kut is young.\n", gaz)
    forums = [e for e in ex.entities.values() if e.cls == CG.Forum]
    assert len(forums) == 1
    assert {"Kut's Peace Forum", "Peace Forum in Kut"} <= forums[0].names
    assert forums[0].iri == URIRef(BASE + "org/kut-peace-forum")


def test_acronym_defined_then_used_alone(gaz):
    ex = run("The Tigris Youth Network (TYN) was created in 2015. Today TYN has forty members.\n", gaz)
    net = ex.entities[URIRef(BASE + "org/tigris-youth-network")]
    assert {"Tigris Youth Network", "TYN"} <= net.names
    assert net.cls == ORG.Organization


def test_back_reference_to_the_only_coalition(gaz):
    ex = run("The Water Justice Coalition is a Kut-based alliance of farmers' unions. "
             "For its part, the Coalition asks for a public hearing.\n", gaz)
    coalition = ex.entities[URIRef(BASE + "org/water-justice-coalition")]
    assert "the Coalition" in coalition.names
    assert ("org/water-justice-coalition", "place/kut") in facts(ex, SDO.location)


def test_generic_names_stay_out_of_the_gazetteer():
    assert is_weak_name("the Forum", CG.Forum)
    assert is_weak_name("media team", ORG.OrganizationalUnit)
    assert is_weak_name("Omar", SDO.Person)
    assert not is_weak_name("ISF secretariat", ORG.OrganizationalUnit)
    assert not is_weak_name("Kut Peace Forum", CG.Forum)


def test_soft_line_breaks_keep_offsets():
    text = "A long line of a wrapped paragraph that runs on and on until the\nKut Peace Forum.\n"
    flat = unwrap(text)
    assert len(flat) == len(text) and "the Kut Peace Forum" in flat
    assert len(sentences(flat)) == 1


# -- events ------------------------------------------------------------------------------

def test_training_with_range_place_count_facilitator(gaz):
    ex = run("10 May 2016, Kut\n\n"
             "From 3-5 May 2016, the Kut Peace Forum held a three-day training on mediation "
             "at the Rafidain Hall in Kut. Seventeen volunteers took part. The sessions were "
             "led by Dr. Samir Haddad, a lawyer from Amarah.\n", gaz)
    [ev] = events(ex)
    assert ev.cls == CG.Training
    iri = short(ev.iri)
    assert (iri, "org/kut-peace-forum") in facts(ex, SDO.organizer)
    assert (iri, "2016-05-03") in facts(ex, SDO.startDate)
    assert (iri, "2016-05-05") in facts(ex, SDO.endDate)
    assert (iri, "place/kut") in facts(ex, SDO.location)
    assert (iri, "17") in facts(ex, CG.participantCount)
    assert (iri, "person/samir-haddad") in facts(ex, CG.facilitator)
    assert not any(o == "place/amarah" for _, o in facts(ex, SDO.location))


def test_day_and_month_take_the_datelines_year(gaz):
    ex = run("Kut, 20 June 2016\n\nOn Friday 17 June the Kut Peace Forum organised a festival "
             "in Kut.\n", gaz)
    [ev] = events(ex)
    assert facts(ex, SDO.startDate) == {(short(ev.iri), "2016-06-17")}


def test_planned_event_has_no_date_and_generic_ones_give_nothing(gaz):
    ex = run("Kut, 3 May 2016\n\nThe Kut Peace Forum will hold a training in Kut next month. Similar "
             "workshops are planned in other towns. A good campaign starts from a clear goal.\n", gaz)
    [ev] = events(ex)
    assert ev.cls == CG.Training
    assert (short(ev.iri), "org/kut-peace-forum") in facts(ex, SDO.organizer)
    assert facts(ex, SDO.startDate) == set()


def test_partner_list_and_funder_on_the_event(gaz):
    ex = run("On 9 April 2016 the Kut Peace Forum launched a campaign in Kut. The campaign was "
             "organised in cooperation with the Wasit Teachers Union, Green Kut and the Kut Rowing "
             "Club, with the support of the Swiss FAI Foundation.\n", gaz)
    [ev] = events(ex)
    iri = short(ev.iri)
    partners = {o for s, o in facts(ex, CG.partner) if s == iri}
    assert partners == {"org/wasit-teachers-union", "org/green-kut", "org/kut-rowing-club"}
    assert (iri, "org/swiss-fai-foundation") in facts(ex, SDO.funder)
    assert ev.cls == CG.Campaign


def test_attendees_are_the_organisations_whose_members_attend(gaz):
    ex = run("On 2 May 2016 the Kut Peace Forum held a meeting in Kut. The meeting was attended "
             "by members of the Wasit Teachers Union and by students of the University of Kufa.\n", gaz)
    assert len(events(ex)) == 1
    assert {o for _, o in facts(ex, SDO.attendee)} == {"org/wasit-teachers-union", "org/university-of-kufa"}


def test_sentence_types_every_event_as_schema_event(gaz):
    ex = run("On 2 May 2016 the Kut Peace Forum held a sit-in in Kut.\n", gaz)
    [ev] = events(ex)
    assert ev.cls == CG.Demonstration
    assert any(f.predicate == RDF.type and f.object == SDO.Event and f.method == "event-trigger"
               for f in ex.facts)


def test_fact_sheet_fields(gaz):
    ex = run("# Activity report\n\nActivity: Workshop on local budgets\nDate: 3-4 May 2016\n"
             "Venue: Rafidain Hall, Kut\nParticipants: 19 volunteers\nOrganiser: Kut Peace Forum\n"
             "Trainer: Samir Haddad\nFunded by: European Union\n", gaz)
    [ev] = events(ex)
    iri = short(ev.iri)
    assert ev.cls == CG.Workshop
    assert (iri, "2016-05-03") in facts(ex, SDO.startDate) and (iri, "2016-05-04") in facts(ex, SDO.endDate)
    assert (iri, "19") in facts(ex, CG.participantCount)
    assert (iri, "org/kut-peace-forum") in facts(ex, SDO.organizer)
    assert (iri, "person/samir-haddad") in facts(ex, CG.facilitator)
    assert (iri, "org/european-union") in facts(ex, SDO.funder)
    assert {o for _, o in facts(ex, SDO.location)} == {"place/rafidain-hall", "place/kut"}


def test_we_is_the_organisation_that_signs(gaz):
    ex = run("# Our week\n\nOn Saturday 5 October 2019 we organised a festival in Kut.\n\n"
             "Samir Haddad\nCoordinator, Kut Peace Forum\n", gaz)
    [ev] = events(ex)
    assert (short(ev.iri), "org/kut-peace-forum") in facts(ex, SDO.organizer)
    assert ("person/samir-haddad", "org/kut-peace-forum") in facts(ex, ORG.memberOf)


def test_season_of_a_social_forum_is_a_conference(gaz):
    ex = run("The third Iraqi Social Forum was held in Kut from 2 to 4 May 2016. The forum was "
             "organised by the ISF secretariat and funded by the European Union.\n", gaz)
    [ev] = events(ex)
    iri = short(ev.iri)
    assert ev.cls == CG.Conference
    assert (iri, "org/isf-secretariat") in facts(ex, SDO.organizer)
    assert (iri, "org/european-union") in facts(ex, SDO.funder)
    assert not any(s == "org/iraqi-social-forum" for s, _ in facts(ex, SDO.funder))


def test_named_event_same_day_and_until(gaz):
    ex = run("Kut, 9 May 2016\n\nOn Friday 6 May the Kut Peace Marathon started at the river. "
             "That same evening, the Kut Peace Forum held a celebration in Kut. The campaign of the "
             "Forum started on the 1st of May and lasted until the 5th of May 2016.\n", gaz)
    by_type = {e.cls: short(e.iri) for e in events(ex)}
    assert (by_type[CG.SportsEvent], "2016-05-06") in facts(ex, SDO.startDate)
    assert (by_type[CG.Celebration], "2016-05-06") in facts(ex, SDO.startDate)
    assert (by_type[CG.Campaign], "2016-05-05") in facts(ex, SDO.endDate)


def test_co_organiser_and_future_facilitator(gaz):
    ex = run("On 2 May 2016 a training was organised by the Kut Peace Forum together with Green Kut. "
             "The Forum also created a media team, which will be led by Samir Haddad.\n", gaz)
    [ev] = events(ex)
    assert {o for s, o in facts(ex, SDO.organizer) if s == short(ev.iri)} == {"org/kut-peace-forum", "org/green-kut"}
    assert facts(ex, CG.facilitator) == set()


def test_a_place_in_a_relative_clause_is_not_the_events(gaz):
    ex = run("On 2 May 2016 the Kut Peace Forum held a workshop in Kut, led by Samir Haddad, a "
             "trainer who has worked with youth groups in Amarah.\n", gaz)
    assert {o for _, o in facts(ex, SDO.location)} == {"place/kut"}


def test_pronouns_and_a_year_alone(gaz):
    ex = run("The Kut Peace Forum was created in 2015 by teachers and students. In 2018, during the "
             "water crisis, it organised a sit-in in Kut. It is a member of the Iraqi Social Forum and "
             "of the Save the Tigris Campaign. Its current coordinator is Samir Haddad.\n", gaz)
    [ev] = events(ex)
    iri = short(ev.iri)
    assert (iri, "org/kut-peace-forum") in facts(ex, SDO.organizer)
    assert facts(ex, SDO.startDate) == {(iri, "2018")}
    member = facts(ex, ORG.memberOf)
    assert {("org/kut-peace-forum", "org/iraqi-social-forum"), ("org/kut-peace-forum", "org/save-the-tigris"),
            ("person/samir-haddad", "org/kut-peace-forum")} <= member


def test_an_opinion_piece_states_no_event(gaz):
    ex = run("Every campaign starts with anger, but anger is not a plan. A good campaign chooses one "
             "demand. Organisations like the Iraqi Social Forum can help with trainings.\n", gaz)
    assert events(ex) == []
    assert [f for f in ex.facts if f.predicate not in (SDO.mentions,)] == []


def test_minutes_fields_and_people_in_brackets(gaz):
    ex = run("MINUTES OF THE STEERING MEETING\n\nDate of meeting: Monday 4 April 2016\nPlace: Rafidain Hall, Kut\n"
             "Chair: Samir Haddad (Kut Peace Forum)\nPresent (3): Samir Haddad (Kut Peace Forum); Huda Salem "
             "(Kut Youth Network); Adel Nouri (Wasit Teachers Union)\n\n1. Budget\nThe meeting agreed on the budget.\n", gaz)
    [ev] = events(ex)
    iri = short(ev.iri)
    assert ev.cls == CG.Meeting
    assert (iri, "2016-04-04") in facts(ex, SDO.startDate)
    assert (iri, "3") in facts(ex, CG.participantCount)
    assert (iri, "person/samir-haddad") in facts(ex, CG.facilitator)
    assert {o for s, o in facts(ex, SDO.attendee) if s == iri} == {"person/huda-salem", "person/adel-nouri"}
    assert ("person/huda-salem", "org/kut-youth-network") in facts(ex, ORG.memberOf)


def test_programme_heading_and_captions(gaz):
    ex = run("# Third Kut Peace Conference — Programme\n\n**2–3 May 2016 · Rafidain Hall, Kut**\n\n"
             "Organised by the Kut Peace Forum in collaboration with Green Kut.\n\n"
             "**10:00 Panel**\nModerated by Samir Haddad (Kut Peace Forum).\n", gaz)
    [ev] = events(ex)
    iri = short(ev.iri)
    assert ev.cls == CG.Conference
    assert (iri, "2016-05-02") in facts(ex, SDO.startDate) and (iri, "2016-05-03") in facts(ex, SDO.endDate)
    assert (iri, "org/kut-peace-forum") in facts(ex, SDO.organizer)
    assert (iri, "org/green-kut") in facts(ex, CG.partner)
    assert (iri, "person/samir-haddad") in facts(ex, CG.facilitator)


def test_today_and_until_with_the_dateline(gaz):
    ex = run("Kut – 5 May 2016. The Kut Peace Forum today opened a festival in Kut. The festival runs until "
             "11 May.\n", gaz)
    [ev] = events(ex)
    assert facts(ex, SDO.startDate) == {(short(ev.iri), "2016-05-05")}


def test_an_organisations_own_planned_event(gaz):
    ex = run("Kut, 5 May 2016\n\nThe Wasit Water Coalition's annual conference will be hosted in Kut next "
             "spring.\n", gaz)
    [ev] = events(ex)
    assert ev.cls == CG.Conference
    assert facts(ex, SDO.organizer) == {(short(ev.iri), "org/wasit-water-coalition")}
    assert facts(ex, SDO.startDate) == set()


# -- organisations and projects ----------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "The Kut Peace Forum is one of the local forums of the Iraqi Social Forum.",
    "The Kut Peace Forum, a volunteer group based in Kut, is a member of the Iraqi Social Forum.",
    "The Kut Peace Forum works within the space of the Iraqi Social Forum.",
])
def test_member_of_phrasings(gaz, sentence):
    ex = run(sentence + "\n", gaz)
    assert ("org/kut-peace-forum", "org/iraqi-social-forum") in facts(ex, ORG.memberOf)


def test_members_include_list(gaz):
    ex = run("The Wasit Water Coalition is a Kut-based alliance. Its members include the Kut Peace "
             "Forum, Green Kut and the Wasit Teachers Union.\n", gaz)
    members = {s for s, o in facts(ex, ORG.memberOf) if o == "org/wasit-water-coalition"}
    assert members == {"org/kut-peace-forum", "org/green-kut", "org/wasit-teachers-union"}


def test_person_affiliations(gaz):
    ex = run("\"We are ready,\" said Samir Haddad, coordinator of the Kut Peace Forum. "
             "Layla Hassan of the ISF secretariat also spoke.\n", gaz)
    member = facts(ex, ORG.memberOf)
    assert ("person/samir-haddad", "org/kut-peace-forum") in member
    assert ("person/layla-hassan", "org/iraqi-social-forum") in member     # a unit's member
    assert ("org/isf-secretariat", "org/iraqi-social-forum") in facts(ex, ORG.unitOf)


def test_units_by_possessive(gaz):
    ex = run("The Kut Peace Forum met in Kut. The Forum's media team published the photos.\n", gaz)
    assert ("org/kut-peace-forum-media-team", "org/kut-peace-forum") in facts(ex, ORG.unitOf)


@pytest.mark.parametrize("cue", ["funded by", "sponsored by", "supported thanks to a grant from",
                                 "carried out with the support of"])
def test_project_funder_phrasings(gaz, cue):
    ex = run(f"The \"Rivers of Wasit\" project is {cue} the European Union and implemented by "
             f"Un Ponte Per in partnership with Green Kut.\n", gaz)
    assert ("project/rivers-of-wasit", "org/european-union") in facts(ex, SDO.funder)
    assert ("project/rivers-of-wasit", "org/un-ponte-per") in facts(ex, CG.implementedBy)
    assert ("project/rivers-of-wasit", "org/green-kut") in facts(ex, CG.partner)


def test_signature_gives_author_and_affiliation(gaz):
    ex = run("# A day in Kut\n\nThe Kut Peace Forum met in Kut.\n\nSamir Haddad, Kut Peace Forum\n", gaz)
    assert facts(ex, SDO.author) == {(short(ex.report), "person/samir-haddad")}
    assert ("person/samir-haddad", "org/kut-peace-forum") in facts(ex, ORG.memberOf)


def test_every_fact_points_at_its_sentence(gaz):
    text = "From 3-5 May 2016, the Kut Peace Forum held a training in Kut.\n"
    ex = run(text, gaz)
    for f in ex.facts:
        assert 0 <= f.evidence.start < f.evidence.end <= len(text)
        assert f.method


# -- the sample corpus -------------------------------------------------------------------

def test_sample_corpus_facts(gaz):
    """A few facts of tests/data/samples-expected.md that the rules must find."""
    g = Gazetteer.from_graph(authority_graph(BASE))
    found: set[tuple[str, str, str]] = set()
    for name in ["2017-05-fallujah-peace-forum-workshop.txt", "2018-11-basra-water-sit-in.md",
                 "2019-11-iraqi-civil-society-forum-erbil.txt", "2021-03-hit-media-team-photography-training.html"]:
        ex = extract(read_document(Path(SAMPLES) / name), g, BASE)
        for f in ex.facts:
            found.add((short(f.subject).split("/")[0] + "/" + short(f.subject).split("/")[-1].rsplit("-", 1)[0]
                       if short(f.subject).startswith("event/") else short(f.subject),
                       short(f.predicate), short(f.object)))
    fallujah = "event/2017-05-fallujah-peace-forum-workshop-txt"
    assert (fallujah, "organizer", "org/fallujah-peace-forum") in found
    assert (fallujah, "startDate", "2017-05-08") in found and (fallujah, "endDate", "2017-05-10") in found
    assert (fallujah, "participantCount", "18") in found
    assert (fallujah, "facilitator", "person/omar-saleh") in found
    assert ("project/anbar-youth-for-peace", "implementedBy", "org/un-ponte-per") in found
    sit_in = "event/2018-11-basra-water-sit-in-md"
    assert (sit_in, "organizer", "org/basra-social-forum") in found
    assert (sit_in, "startDate", "2018-11-04") in found
    assert ("org/al-firdaws-society", "location", "place/basra") in found
    assert not any(p == "participantCount" and s == sit_in for s, p, _ in found)   # "hundreds"
    for member in ("iraqi-al-amal-association", "iraqi-women-network", "iraqi-social-forum"):
        assert (f"org/{member}", "memberOf", "org/iraqi-civil-society-forum") in found
    assert ("org/hit-peace-forum-media-team", "unitOf", "org/hit-peace-forum") in found


# -- other ways of writing a report -------------------------------------------------------

def test_passive_and_plural_events(gaz):
    ex = run("Published: 2021-05-05\n\nA workshop on water rights was organised by the Kut Youth Forum "
             "in Kut on 3 May 2021.\n\nBetween 1 and 3 June 2021, Clean Kut held workshops in Kut for 45 "
             "young people. The workshops were funded by the Tigris Green Fund.\n", gaz)
    assert len(events(ex)) == 2
    assert facts(ex, SDO.organizer) >= {("event/t-md-1", "org/kut-youth-forum"), ("event/t-md-2", "org/clean-kut")}
    assert ("event/t-md-2", "org/tigris-green-fund") in facts(ex, SDO.funder)
    assert ("event/t-md-2", "2021-06-03") in facts(ex, SDO.endDate)


def test_plans_and_habits_in_the_plural_give_no_event(gaz):
    ex = run("The Kut Youth Forum holds workshops every month. It will organise trainings next year.\n", gaz)
    assert events(ex) == []


def test_place_that_opens_the_sentence(gaz):
    ex = run("In Zubaidiya, the Kut Youth Forum held a dialogue session on 28 February 2019.\n", gaz)
    assert ("event/t-md-1", "place/zubaidiya") in facts(ex, SDO.location)


def test_event_told_by_its_verb(gaz):
    ex = run("Kut, 20 October 2021\n\nThis month we trained 18 young women in Kut on digital safety.\n\n"
             "Nour Salman, coordinator of the Kut Women Initiative\n", gaz)
    ev = events(ex)
    assert len(ev) == 1 and ("event/t-md-1", "org/kut-women-initiative") in facts(ex, SDO.organizer)
    assert ("event/t-md-1", "18") in facts(ex, CG.participantCount)


def test_trainers_attendees_and_speakers_in_lists(gaz):
    ex = run("The Kut Peace Forum held a training in Kut on 12 March 2023. Trainers included Rana Fadel "
             "and Omar Aziz. Representatives of the Kut Bar Association and the Kut Teachers Union "
             "attended. Members of the Kut Scouts attended too.\n", gaz)
    assert facts(ex, CG.facilitator) == {("event/t-md-1", "person/rana-fadel"), ("event/t-md-1", "person/omar-aziz")}
    assert facts(ex, SDO.attendee) == {("event/t-md-1", "org/kut-bar-association"),
                                       ("event/t-md-1", "org/kut-teachers-union"), ("event/t-md-1", "org/kut-scouts")}


def test_programme_date_and_venue_are_the_events(gaz):
    ex = run("Youth and Peace Conference - Programme\n\nDate: 21 November 2022\nVenue: Grand Hall, Kut\n\n"
             "The conference is organised by the Kut Civic Platform. Speakers: Karim Abbas and Mona Jaber.\n", gaz)
    assert facts(ex, SDO.datePublished) == set()
    assert ("event/t-md-1", "2022-11-21") in facts(ex, SDO.startDate)
    assert {("event/t-md-1", "person/karim-abbas"), ("event/t-md-1", "person/mona-jaber")} <= facts(ex, SDO.attendee)


def test_project_funders_and_it(gaz):
    ex = run("The Safe Schools project is financed by the Nordlys Peace Fund and implemented by the Kut "
             "Education Collective. It was also co-funded by the Alder Foundation. The Kut Debate Club "
             "works with a contribution from the Olive Tree Foundation.\n", gaz)
    assert facts(ex, SDO.funder) == {("project/safe-schools", "org/nordlys-peace-fund"),
                                     ("project/safe-schools", "org/alder-foundation"),
                                     ("org/kut-debate-club", "org/olive-tree-foundation")}
    assert facts(ex, CG.implementedBy) == {("project/safe-schools", "org/kut-education-collective")}


def test_fronted_partner_and_joined_network(gaz):
    ex = run("Jointly with the Kut Dialogue Centre, the Kut Youth Team organised a workshop in Kut on "
             "2 May 2018. Clean Kut joined the Wasit Water Alliance in 2021.\n", gaz)
    assert ("event/t-md-1", "org/kut-dialogue-centre") in facts(ex, CG.partner)
    assert ("org/clean-kut", "org/wasit-water-alliance") in facts(ex, ORG.memberOf)


def test_role_in_a_faculty_is_membership_of_the_university(gaz):
    ex = run("Dr. Layla Haddad, Dean of the Faculty of Law at the University of Kut, attended the meeting "
             "that the Kut Peace Forum held in Kut on 5 August 2021.\n", gaz)
    assert ("person/layla-haddad", "org/university-of-kut") in facts(ex, ORG.memberOf)
    assert ("org/faculty-of-law-of-university-of-kut", "org/university-of-kut") in facts(ex, ORG.unitOf)


def test_generic_event_then_its_kind(gaz):
    ex = run("Published: 30 May 2019\n\nThe event, organised by the Kut Youth Bridge, took place on 25 May "
             "2019 at the Kut Cultural Hall. It was a football tournament for peace.\n", gaz)
    assert [e.cls for e in events(ex)] == [CG.SportsEvent]
    assert ("event/t-md-1", "org/kut-youth-bridge") in facts(ex, SDO.organizer)


def test_group_named_by_a_common_noun(gaz):
    ex = run("Founded in 2015, the Kut River Keepers is a volunteer group based in Kut. The group is part "
             "of the Wasit Guardians Network and works in partnership with the Kut Fishermen Society.\n", gaz)
    assert ("org/kut-river-keepers", "org/wasit-guardians-network") in facts(ex, ORG.memberOf)
    assert ("org/kut-river-keepers", "org/kut-fishermen-society") in facts(ex, CG.partner)


def test_near_miss_of_a_curated_name_is_a_candidate(gaz):
    ex = run("The Hitt Peace Forum held a workshop in Hit on 3 May 2020.\n", gaz)
    cands = [f for f in ex.facts if f.predicate == CG.candidateMatch]
    assert [(short(f.subject), short(f.object), f.method) for f in cands] == [
        ("org/hitt-peace-forum", "org/hit-peace-forum", "fuzzy-candidate")]
    assert 0.85 <= cands[0].confidence < 1
    # a different word is a different name, not a candidate
    ex = run("The Hit Youth Forum held a workshop in Hit on 3 May 2020.\n", gaz)
    assert not [f for f in ex.facts if f.predicate == CG.candidateMatch]


def test_markdown_fields_and_prose_fields(gaz):
    ex = run("Posted 2 June 2022\n\n## Call: a training on dialogue in Kut\n\n"
             "**What:** a three-day training on community dialogue.\n\n**Where:** Kut. Meals are covered.\n\n"
             "**Trainer:** the trainer will be Ali Nasser, a member of the Kut Peace Forum.\n", gaz)
    assert ("event/t-md-1", "place/kut") in facts(ex, SDO.location)
    assert ("event/t-md-1", "person/ali-nasser") in facts(ex, CG.facilitator)
    assert not [o for _, o in facts(ex, SDO.location) if "meals" in o]


def test_speakers_listed_with_their_affiliations(gaz):
    ex = run("The Kut Peace Forum held a conference in Kut on 3 May 2023.\n"
             "Speakers: Ahmad Sabri (Kut Youth Network); Rana Jalal (Wasit Water Network); "
             "Dr. Haidar Kamil (University of Kut).\n", gaz)
    assert {o for _, o in facts(ex, SDO.attendee)} == {"person/ahmad-sabri", "person/rana-jalal", "person/haidar-kamil"}


def test_numeric_dates_are_day_first():
    assert [d.first for d in find_dates("on 12/3/2020 and on 1.11.2019")] == ["2020-03-12", "2019-11-01"]


def test_new_rules_keep_their_bounds(gaz):
    ex = run("Published: 3 May 2020\n\nThe Kut Youth Forum has held workshops across Iraq since 2015. "
             "Ali Hassan organised a workshop on 2 May 2020 in Kut. Nearly 90 volunteers took part. "
             "The delegates agreed on a calendar: a marathon in September, a fair in October.\n", gaz)
    assert len(events(ex)) == 1                                  # the dated workshop alone
    assert facts(ex, SDO.organizer) == set()                     # a person is no organiser
    assert facts(ex, CG.participantCount) == set()               # "nearly 90"
    assert not [e for e in ex.entities.values() if e.label == "Ali Hassan" and e.cls != SDO.Person]


def test_probe_reports_in_other_styles(tmp_path):
    """tests/data/extract: short reports written for these rules in styles the first gold
    sets lack (passive voice, fronted places, fact sheets in Markdown, programmes, lists of
    projects, numeric and month dates), each with its facts in the gold format."""
    import test_eval

    result = test_eval.score(Path(__file__).parent / "data" / "extract", tmp_path)
    micro = result["micro"]
    assert micro["precision"] >= 0.95 and micro["recall"] >= 0.9, micro
    assert result["entities"]["split"] == {}


def test_we_in_an_interview_is_the_interviewees_organisation(gaz):
    ex = run("Interview by Sara Mahmoud\nPublished: 4 April 2022\n\nDana Aziz is the director of the Kut "
             "Women's League. \"On 3 March 2022 we held a conference in Kut,\" she says. The march that we "
             "organised on 8 March 2022 in Kut was the hardest moment.\n", gaz)
    assert {o for _, o in facts(ex, SDO.organizer)} == {"org/kut-womens-league"}
    assert len(events(ex)) == 2


# -- lists, headlines, project sheets, active-voice implementers ---------------------------

def test_a_place_in_a_list_is_not_glued_to_the_next_name(gaz):
    ex = run("Amman, 20 June 2019\n\nThe Iraqi Social Forum held a workshop in Amman on 18 June 2019 with the "
             "support of Iraq and UNESCO. Youth workers took part, with partners from Iraq and Jordan.\n", gaz)
    labels = {e.label for e in ex.entities.values()}
    assert "Iraq and UNESCO" not in labels and "Iraq and Jordan" not in labels
    assert {o for _, o in facts(ex, SDO.funder)} == {"org/unesco"}


def test_a_headline_and_its_story_tell_one_event(gaz):
    ex = run("Kut, 3 May 2021\n\nYouth festival marked on the banks of the Tigris\n\n"
             "The Kut Youth Club held a festival on 1 May 2021 at Kut Park in Kut. The opening speech was "
             "delivered by Dana Aziz.\n\nThe festival was attended by members of the Kut Women's League.\n", gaz)
    assert len(events(ex)) == 1
    assert {o for _, o in facts(ex, SDO.attendee)} == {"person/dana-aziz", "org/kut-womens-league"}


def test_a_paragraph_on_who_spoke_goes_on_with_the_event_before(gaz):
    ex = run("Basra, 2 June 2020\n\nThe Basra Social Forum held a conference on water on 1 June 2020 in Basra.\n\n"
             "The opening speech was delivered by Samir Talib, spokesperson of the forum.\n", gaz)
    assert {o for _, o in facts(ex, SDO.attendee)} == {"person/samir-talib"}
    assert not [e for e in ex.entities.values() if e.label == "Samir Talib" and e.cls != SDO.Person]


def test_a_project_fact_sheet_gives_the_projects_facts(gaz):
    ex = run("Project: Clean Rivers for Kut\nImplementing partner: Kut Green Association\n"
             "Partners: Kut Teachers' Union\nDonor: Nordic Peace Fund\n", gaz)
    assert facts(ex, CG.implementedBy) == {("project/clean-rivers-for-kut", "org/kut-green-association")}
    assert facts(ex, CG.partner) == {("project/clean-rivers-for-kut", "org/kut-teachers-union")}
    assert {o for _, o in facts(ex, SDO.funder)} == {"org/nordic-peace-fund"}
    assert events(ex) == []


def test_an_organisation_implementing_a_project_in_the_active_voice(gaz):
    ex = run("The Kut Green Association is implementing the Clean Rivers project together with the Kut Youth Club. "
             "Dijla Paths is a project of the Wasit Peace Forum.\n", gaz)
    assert facts(ex, CG.implementedBy) == {("project/clean-rivers", "org/kut-green-association"),
                                           ("project/clean-rivers", "org/kut-youth-club"),
                                           ("project/dijla-paths", "org/wasit-peace-forum")}


def test_a_dated_item_of_a_list_of_activities_is_no_dateline(gaz):
    ex = run("Kut, 10 May 2018\n\nActivities of the month\n\n"
             "- 2 May: the Kut Peace Forum held a workshop at the Kut Youth Centre.\n"
             "- 8 May: a training on mediation took place in Kut, led by Dana Aziz.\n", gaz)
    assert {o for _, o in facts(ex, SDO.startDate)} == {"2018-05-02", "2018-05-08"}


def test_fact_sheet_fields_that_repeat_or_list_people_with_and(gaz):
    ex = run("- Activity: Workshop on early warning\n- Date: 9-10 November 2021\n- Venue: Kut\n"
             "- Facilitated by: Hiba Naser and Samir Talib\n- Moderator: Dana Aziz\n"
             "- Participants included: Firas Hameed and Nadia Younis\n", gaz)
    assert {o for _, o in facts(ex, CG.facilitator)} == {"person/hiba-naser", "person/samir-talib", "person/dana-aziz"}
    assert {o for _, o in facts(ex, SDO.attendee)} == {"person/firas-hameed", "person/nadia-younis"}


# -- relations in further shapes --------------------------------------------------------------

def test_relative_clause_names_implementer_and_funder(gaz):
    ex = run("The Clean Rivers for Kut (CRK) programme, which the Kut Water Association implemented "
             "with financing from the Sunrise Foundation, ended in May.\n", gaz)
    assert ("project/clean-rivers-for-kut", "org/kut-water-association") in facts(ex, CG.implementedBy)
    assert ("project/clean-rivers-for-kut", "org/sunrise-foundation") in facts(ex, SDO.funder)


def test_implementer_together_with(gaz):
    ex = run("Project: Open Doors\n\nOpen Doors is carried out by the Kut Water Association together "
             "with the Sunrise Foundation.\n", gaz)
    assert {("project/open-doors", "org/kut-water-association"),
            ("project/open-doors", "org/sunrise-foundation")} <= facts(ex, CG.implementedBy)


def test_plural_role_apposition_gives_each_person(gaz):
    ex = run("The course was led by Ms. Amira Salih and Mr. Yasin Omar, both experienced trainers of "
             "the Kut Water Association.\n", gaz)
    assert {("person/amira-salih", "org/kut-water-association"),
            ("person/yasin-omar", "org/kut-water-association")} <= facts(ex, ORG.memberOf)


def test_person_role_organisation_label_line(gaz):
    ex = run("The festival ends on Friday.\n\nPress contact: Amira Salih, press officer, Kut Water Association\n", gaz)
    assert ("person/amira-salih", "org/kut-water-association") in facts(ex, ORG.memberOf)


def test_founded_in_town_gives_base(gaz):
    ex = run("The Kut Water Association was established in 2015 by teachers in the town of Kut, "
             "in southern Wasit.\n", gaz)
    located = {o for s, o in facts(ex, SDO.location) if s == "org/kut-water-association"}
    assert any("kut" in o for o in located)


def test_signature_block_with_closing_dateline(gaz):
    ex = run("Dear friends,\n\nThank you for a wonderful festival of the Kut Water Association.\n\n"
             "With warm regards,\n\nAmira Salih\nCoordinator, Kut Water Association\nKut, 20 November 2022\n", gaz)
    assert ("report/t-md", "person/amira-salih") in facts(ex, SDO.author)
    assert any(d == "2022-11-20" for _, d in facts(ex, SDO.datePublished))


def test_worked_together_gives_partners(gaz):
    ex = run("The Kut Water Association and the Sunrise Foundation have worked together on the river for years.\n", gaz)
    pairs = facts(ex, CG.partner)
    assert ("org/kut-water-association", "org/sunrise-foundation") in pairs or \
        ("org/sunrise-foundation", "org/kut-water-association") in pairs
