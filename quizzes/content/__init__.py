"""Content: sources, decks, passages, questions and generation jobs (app label
``quizzes``, kept so that its migrations and tables stay as they are)."""
