"""The study service's domain, in packages that depend on each other one way only.

From the top down, each may import the ones below it and none above::

    quizzes.web        server-rendered pages for students and teachers
    quizzes.teaching   quiz sets, assignments, attempts, results
    quizzes.study      spaced repetition: card states, the review log, the queue
    quizzes.content    sources, decks, passages, questions, generation jobs (app
                       label ``quizzes``, kept so its migrations stay valid)
    accounts           users, classrooms, memberships
    quizzes.core       pure Python (text, grading, scheduling, generation): imports
                       nothing of ours and no Django

`make lint` checks this with import-linter (the contracts are in pyproject.toml).
"""
