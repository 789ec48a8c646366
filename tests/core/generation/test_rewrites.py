"""Sentence rewrites (pronoun antecedents, first clauses) and the templates added with them."""

from __future__ import annotations

from quizzes.core.generation import generate, overgenerate
from quizzes.core.generation.analysis import analyse

from .conftest import inventory_with, make_passage


def _pool(text: str) -> list[tuple[str, str, str]]:
    candidates = overgenerate(make_passage(text), inventory_with(text))
    return [(c.template, c.prompt, c.answer) for c in candidates]


def _contexts(text: str) -> list[tuple[str, str, bool]]:
    analysis = analyse(make_passage(text), inventory_with(text))
    return [(c.rewrite, c.sentence.text, c.check.usable) for c in analysis.contexts]


def test_he_is_resolved_to_the_only_person_of_the_previous_sentence():
    text = (
        "Lenin returned to Petrograd in April 1917. "
        "He denounced the Provisional Government in the April Theses."
    )
    assert _contexts(text)[1] == (
        "resolved",
        "Lenin denounced the Provisional Government in the April Theses.",
        True,
    )
    pool = _pool(text)
    assert (
        "cloze",
        "According to Pirani, Lenin denounced the _____ in the April Theses.",
        "Provisional Government",
    ) in pool


def test_the_inserted_antecedent_is_never_asked_for_and_the_evidence_stays_verbatim():
    text = (
        "Lenin returned to Petrograd in April 1917. "
        "He denounced the Provisional Government in the April Theses."
    )
    passage = make_passage(text)
    candidates = overgenerate(passage, inventory_with(text))
    second = text.index("He denounced")
    on_second = [c for c in candidates if c.evidence_start == second]
    assert on_second
    assert all(c.answer != "Lenin" for c in on_second)
    assert all("“He denounced" in c.explanation for c in on_second)


def test_he_stays_unresolved_when_the_previous_sentence_names_two_people():
    text = (
        "Lenin argued with Trotsky about the trade unions in 1920. "
        "He denounced the Provisional Government in the April Theses."
    )
    rewrite, sentence, usable = _contexts(text)[1]
    assert (rewrite, usable) == ("", False)
    assert sentence.startswith("He ")


def test_they_is_resolved_to_a_plural_group_subject():
    text = (
        "The social historians of the 1970s and 1980s had corrected this picture. "
        "They showed that skilled older workers usually stayed in Moscow in 1919."
    )
    assert _contexts(text)[1] == (
        "resolved",
        "The social historians of the 1970s and 1980s showed that skilled older workers "
        "usually stayed in Moscow in 1919.",
        True,
    )


def test_they_is_not_resolved_to_a_non_group_noun():
    text = (
        "The most important developments were economic ones. "
        "They lost their political role in Moscow in 1921."
    )
    assert _contexts(text)[1][0] == ""


def test_a_single_person_is_no_antecedent_for_their():
    text = "Lenin took the Mensheviks to task over their policies in Moscow in 1921."
    assert _contexts(text)[0][2] is True  # the Mensheviks
    text = "Lenin took them to task over their international policies in 1921."
    assert _contexts(text)[0][2] is False


def test_the_first_of_two_clauses_stands_alone_when_the_second_leans_on_context():
    text = (
        "The tenth party congress of 1921 had adopted a resolution forbidding the formation "
        "of factions, and although it was repeatedly claimed that this was not supposed to "
        "curtail free speech inside the party, in practice it did."
    )
    assert _contexts(text)[0] == (
        "clause",
        "The tenth party congress of 1921 had adopted a resolution forbidding the formation "
        "of factions.",
        True,
    )


def test_a_list_is_not_split_as_two_clauses():
    text = (
        "The Ministry of Justice took over the running of the labour camps, and the other "
        "economic tasks previously associated with the MVD."
    )
    assert _contexts(text)[0][0] == ""


def test_event_date_question_from_a_subordinate_clause():
    text = (
        "But there was no coordination, and the workers’ movement was already subsiding by "
        "the time the Kronstadt revolt began in March."
    )
    assert (
        "event_when",
        "According to Pirani, in which month did the Kronstadt revolt begin?",
        "March",
    ) in _pool(text)


def test_by_what_year_and_fronted_year_without_comma():
    pool = _pool(
        "By 1922 the party was officially sanctioning material privileges for its officials."
    )
    assert (
        "when",
        "According to Pirani, by what year was the party officially sanctioning material "
        "privileges for its officials?",
        "1922",
    ) in pool


def test_passive_with_a_year_after_a_named_subject():
    text = (
        "The Second International was formed in 1889 as a federation of (mainly European) "
        "social-democratic parties, in general subscribing to Marxism."
    )
    assert (
        "when_passive",
        "According to Pirani, in what year was the Second International formed as a "
        "federation of (mainly European) social-democratic parties?",
        "1889",
    ) in _pool(text)


def test_role_before_a_name_defines_the_person():
    text = (
        "The secretary of the Moscow Bolshevik party, Isaak Zelensky, described the party as "
        "a pump that was sucking in members."
    )
    assert (
        "role",
        "According to Pirani, who was Isaak Zelensky?",
        "the secretary of the Moscow Bolshevik party",
    ) in _pool(text)


def test_agent_of_a_named_theory():
    text = (
        "Their general mood was summed up in the theory of ‘reformism’ put forward by the "
        "German social-democrat, E. Bernstein – the idea that capitalism could gradually be "
        "reformed out of existence."
    )
    pool = _pool(text)
    assert (
        "by_agent",
        "According to Pirani, who put forward the theory of ‘reformism’?",
        "E. Bernstein",
    ) in pool
    assert (
        "by_agent_what",
        "According to Pirani, which theory did E. Bernstein put forward?",
        "reformism",
    ) in pool


def test_what_did_a_named_subject_dissolve():
    assert (
        "what_object",
        "According to Pirani, what did the Bolsheviks dissolve in 1918?",
        "the Constituent Assembly",
    ) in _pool("In 1918, the Bolsheviks dissolved the Constituent Assembly.")


def test_an_explicit_cap_is_never_exceeded_by_strong_extras():
    text = (
        "In 1918, the Bolsheviks dissolved the Constituent Assembly. "
        "The Second International was formed in 1889 as a federation of social-democratic "
        "parties. Lenin returned to Petrograd in April 1917."
    )
    assert len(generate(make_passage(text), inventory_with(text), max_questions=2)) == 2


def test_discourse_connectives_are_dropped_but_also_stays():
    text = "However, the Bolsheviks dissolved the Constituent Assembly in January 1918."
    assert _contexts(text)[0] == (
        "stripped",
        "The Bolsheviks dissolved the Constituent Assembly in January 1918.",
        True,
    )
    text = "The Bolsheviks, however, dissolved the Constituent Assembly in January 1918."
    assert _contexts(text)[0][1] == (
        "The Bolsheviks dissolved the Constituent Assembly in January 1918."
    )
    # "Stalin also asserted X": someone else did too, so the sentence stays rejected
    text = "However, Stalin also asserted that socialism could be built in Russia in 1924."
    assert _contexts(text)[0][2] is False


def _kinds(text: str) -> list[tuple[str, str]]:
    candidates = overgenerate(make_passage(text), inventory_with(text))
    return [(c.template, c.answer) for c in candidates]


def test_a_date_bounding_a_period_gets_no_year_options_and_no_false_swap():
    # "after 1957": an earlier year would make the statement true as well
    text = "The sovnarkhoz reforms in Moscow were reformed a number of times after 1921."
    kinds = _kinds(text)
    assert ("cloze", "1921") in kinds
    assert ("cloze_mc", "1921") not in kinds
    assert all(template != "tf_false" for template, _ in kinds)


def test_one_of_a_list_of_names_is_recognised_as_such():
    from quizzes.core.generation.cloze import _in_list, eligible_keys

    text = "Trotsky, Zinoviev and Kamenev opposed the Moscow soviet leadership in 1926."
    context = analyse(make_passage(text), inventory_with(text)).contexts[0]
    in_list = {k.entity.text: _in_list(context, k) for k in eligible_keys(context)}
    assert in_list["Zinoviev"] and in_list["Kamenev"]
    assert not in_list["1926"]


def test_a_pronoun_after_a_fronted_phrase_is_not_resolved_by_a_name_inside_it():
    text = "Along with the Cheka, it began to occupy a central role in the economy in 1921."
    assert _contexts(text)[0][2] is False


def test_historians_get_historians_as_distractors():
    import random

    from quizzes.core.generation import build_inventory
    from quizzes.core.generation.choices import distractors

    corpus = [
        "Malia argues that ideology mattered in 1921. Malia asserts that NEP failed in 1925. "
        "Figes argues that the peasants resisted in 1921. Figes notes that Moscow starved in 1920. "
        "Lewin argues that the party changed in 1922. Lewin suggests that Stalin won in 1927. "
        "Fitzpatrick argues that workers rose in 1928. Fitzpatrick notes that Moscow grew in 1930. "
        "Trotsky led the Red Army in 1919. Trotsky led the opposition in 1923. "
        "Zinoviev led the Comintern in 1920. Zinoviev led Petrograd in 1919.",
    ]
    inventory = build_inventory(corpus)
    malia = inventory.records["malia"]
    assert malia.is_scholar() and not inventory.records["trotsky"].is_scholar()
    from quizzes.core.generation.types import Entity

    options = distractors(
        Entity("Malia", "PERSON", "malia"),
        inventory,
        stem_text="_____ argues that ideology mattered.",
        passage_keys=set(),
        rng=random.Random(1),
    )
    assert set(options) <= {"Figes", "Lewin", "Fitzpatrick"}


def test_a_dotted_name_leaks_the_ism_named_after_it():
    from quizzes.core.generation.quality import leaks

    assert leaks("Taylorism", "_____ was a movement, created by the American F.W.Taylor.")


def test_this_measure_is_resolved_to_the_one_policy_of_the_previous_sentence():
    text = (
        "The Tenth Party Congress met in March 1921 and discussed the tax in kind at length. "
        "This measure was adopted by the delegates and began the New Economic Policy in the "
        "spring of 1921."
    )
    assert _contexts(text)[1] == (
        "resolved",
        "The tax in kind was adopted by the delegates and began the New Economic Policy in the "
        "spring of 1921.",
        True,
    )
    assert (
        "cloze",
        "According to Pirani, the tax in kind was adopted by the delegates and began the _____ "
        "in the spring of 1921.",
        "New Economic Policy",
    ) in _pool(text)


def test_this_measure_stays_unusable_when_two_policies_could_be_meant():
    text = (
        "A resolution demanded the replacement of grain requisitioning with a tax in kind. "
        "This measure was adopted by the party congress and began the New Economic Policy."
    )
    assert _contexts(text)[1][2] is False
    assert not [p for p in _pool(text) if "New Economic Policy" in p[1]]


def test_a_dated_when_clause_stands_alone_when_the_main_clause_points_back():
    text = (
        "Members of the party complained about the lack of open discussion. "
        "These issues came to a head in late 1923, when an opposition grouping was formed "
        "headed by Trotsky, Evgeny Preobrazhensky and Timofei Saporonov."
    )
    assert _contexts(text)[1] == (
        "when-clause",
        "In late 1923, an opposition grouping was formed headed by Trotsky, Evgeny "
        "Preobrazhensky and Timofei Saporonov.",
        True,
    )
    served = generate(make_passage(text), inventory_with(text))
    # of three leaders in a list the first is asked for, not the rarest name
    assert [(c.prompt, c.answer) for c in served if c.answer_kind == "PERSON"][0] == (
        "According to Pirani, in late 1923, an opposition grouping was formed headed by _____, "
        "Evgeny Preobrazhensky and Timofei Saporonov.",
        "Trotsky",
    )


def test_an_apposition_becomes_a_statement_about_the_person():
    text = (
        "Aleksandr Shliapnikov, the metalworker who in 1920 had led the Workers Opposition, "
        "reacted very sharply to Lenin's argument."
    )
    assert _contexts(text) == [
        (
            "apposition",
            "Aleksandr Shliapnikov was the metalworker who in 1920 had led the Workers Opposition.",
            True,
        )
    ]
    pool = _pool(text)
    assert (
        "cloze",
        "According to Pirani, Aleksandr Shliapnikov was the metalworker who in _____ had led the "
        "Workers Opposition.",
        "1920",
    ) in pool
    assert not [p for p in pool if "argument" in p[1]]


def test_a_place_naming_a_group_is_asked_with_its_group():
    text = (
        "The workers' demands in the Moscow factories had much in common with those raised by "
        "the Kronstadt sailors in March 1921."
    )
    candidates = overgenerate(make_passage(text), inventory_with(text))
    sailors = [c for c in candidates if c.answer == "Kronstadt sailors"]
    assert [(c.kind, c.prompt, c.accepted_answers) for c in sailors] == [
        (
            "cloze",
            "According to Pirani, the workers' demands in the Moscow factories had much in common "
            "with those raised by the _____ in March 1921.",
            ("Kronstadt", "Kronstadt sailors", "the Kronstadt sailors"),
        )
    ]


def test_a_characterisation_is_asked_even_when_the_word_is_common():
    text = (
        "The secretary of the Moscow party, Isaak Zelensky, described the party as a pump that "
        "was sucking members into soviet institutions."
    )
    assert (
        "cloze_np",
        "According to Pirani, the secretary of the Moscow party, Isaak Zelensky, described the "
        "party as a(n) _____ that was sucking members into soviet institutions.",
        "pump",
    ) in _pool(text)


def test_a_subject_pronoun_after_a_fronted_phrase_needs_a_named_antecedent():
    text = (
        "Faced with the possibility of reinvigorating the soviets, it failed to do so because "
        "it feared the Mensheviks."
    )
    assert _contexts(text) == [("", text, False)]
    assert _pool(text) == []


def test_an_untold_argument_or_committee_makes_the_sentence_depend_on_its_context():
    for text in (
        "Shliapnikov reacted very sharply to Lenin's argument at the congress in 1922.",
        "The non-partyists controlled the factory committee up until 1922 in the Moscow plant.",
        "Under the new arrangements, the inspectors reported to the Moscow soviet in 1923.",
        "The only other industrial innovations of note came in 1973 and 1979 in the Soviet Union.",
    ):
        assert _contexts(text)[0][2] is False, text
