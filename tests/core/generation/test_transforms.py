"""Simplify, then transform: the exact questions each rule makes of a short passage."""

from __future__ import annotations

import pytest

from quizzes.core.generation import overgenerate

from .conftest import make_passage


def _items(parse, text: str, author: str = "Simon Pirani") -> set[tuple[str, str, str]]:
    doc = parse(text)[0]
    return {(c.template, c.prompt, c.answer) for c in overgenerate(make_passage(text, author), doc)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # subject who, object what, when (a year), by subject-auxiliary inversion
        (
            "Kollontai led the Workers' Opposition in 1921.",
            {
                ("subject_who", "Who led the Workers' Opposition in 1921?", "Kollontai"),
                ("object_what", "What did Kollontai lead in 1921?", "the Workers' Opposition"),
                ("when", "In what year did Kollontai lead the Workers' Opposition?", "1921"),
            },
        ),
        # why from a because-clause
        (
            "The Tenth Congress banned factions because Lenin feared a split.",
            {
                ("object_what", "What did the Tenth Congress ban?", "factions"),
                (
                    "why_because",
                    "Why did the Tenth Congress ban factions?",
                    "because Lenin feared a split",
                ),
            },
        ),
        # why from a purpose clause
        (
            "The government raised taxes to pay for the war.",
            {
                ("why_purpose", "Why did the government raise taxes?", "to pay for the war"),
            },
        ),
        # how many from a counted noun; the fronted date moves after the verb
        (
            "In 1921 the congress elected 37 delegates.",
            {
                ("when", "In what year did the congress elect 37 delegates?", "1921"),
                ("how_many", "How many delegates did the congress elect in 1921?", "37"),
            },
        ),
        # where from a locative dependent
        (
            "The delegates met in Moscow in 1920.",
            {
                ("when", "In what year did the delegates meet in Moscow?", "1920"),
                ("where", "Where did the delegates meet in 1920?", "Moscow"),
            },
        ),
        # definitions from an apposition; copula keeps its tense
        (
            "Chlorophyll, a green pigment, absorbs red light.",
            {
                ("object_what", "What does Chlorophyll absorb?", "red light"),
                ("definition_appos", "What is Chlorophyll?", "a green pigment"),
            },
        ),
        # a passive with its agent becomes an active subject question
        (
            "The soap is decomposed by sulphuric acid.",
            {
                ("passive_agent", "What decomposes the soap?", "sulphuric acid"),
            },
        ),
        # a prepositional object is pied-piped, never stranded
        (
            "The specimens were sent to Ehrenberg in 1858.",
            {
                ("when", "In what year were the specimens sent to Ehrenberg?", "1858"),
                ("cloze", "The specimens were sent to _____ in 1858.", "Ehrenberg"),
                ("cloze", "The specimens were sent to Ehrenberg in _____.", "1858"),
                ("prep_object", "To whom were the specimens sent in 1858?", "Ehrenberg"),
            },
        ),
        # a coordinated list of people: "Name the three ..."
        (
            "The Cheka arrested Julius Martov, Fyodor Dan and Rafael Abramovich in 1921.",
            {
                (
                    "when",
                    "In what year did the Cheka arrest Julius Martov, Fyodor Dan and Rafael "
                    "Abramovich?",
                    "1921",
                ),
                (
                    "cloze",
                    "The Cheka arrested Julius Martov, Fyodor Dan and Rafael Abramovich in _____.",
                    "1921",
                ),
                (
                    "name_list",
                    "Name the three people whom the Cheka arrested in 1921.",
                    "Julius Martov, Fyodor Dan and Rafael Abramovich",
                ),
            },
        ),
    ],
)
def test_each_transformation_makes_exactly_these_questions(parse, text, expected):
    assert _items(parse, text) == expected


def test_a_reported_claim_is_attributed_to_its_speaker(parse):
    got = _items(parse, "Pirani argues that the workers lost power in 1921.")

    assert got == {
        ("object_what", "According to Pirani, what did the workers lose in 1921?", "power"),
        ("when", "According to Pirani, in what year did the workers lose power?", "1921"),
    }


def test_a_leading_connective_is_dropped_and_coordinated_clauses_are_split(parse):
    got = _items(
        parse, "However, the Mensheviks rejected the treaty in March 1918 and denounced Lenin."
    )

    assert ("when", "When did the Mensheviks reject the treaty?", "March 1918") in got
    # the second conjunct inherits the subject
    assert ("object_what", "Who did the Mensheviks denounce?", "Lenin") in got
    assert not any(
        prompt.startswith("However") or "and denounced" in prompt for _, prompt, _ in got
    )


def test_he_is_resolved_to_the_one_person_named_before(parse):
    got = _items(parse, "Robespierre was a lawyer. He founded the Jacobin Club in 1790.")

    assert ("when", "In what year did Robespierre found the Jacobin Club?", "1790") in got
    assert ("object_what", "What did Robespierre found in 1790?", "the Jacobin Club") in got


def test_an_unresolved_deictic_subject_gives_no_question(parse):
    assert _items(parse, "This policy failed in 1921.") == set()


def test_a_hedged_statement_is_not_turned_into_a_fact(parse):
    assert (
        _items(parse, "The peasants probably hid grain from the requisition squads in 1920.")
        == set()
    )


def test_a_broken_coordination_is_refused_rather_than_cut(parse):
    got = _items(
        parse,
        "In August 1789, the National Assembly adopted the Declaration of the "
        "Rights of Man and of the Citizen.",
    )

    assert not any("of the Citizen" in prompt for _, prompt, _ in got)


def test_an_adjunct_with_an_unresolved_pronoun_is_left_out_of_the_question(parse):
    items = _items(parse, "Borlaug received the Nobel Peace Prize in 1970 for his work.", "")

    assert ("when", "In what year did Borlaug receive the Nobel Peace Prize?", "1970") in items
    assert not any("his" in prompt for _, prompt, _ in items)
