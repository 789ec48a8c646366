"""Spaced repetition (app label ``study``): card states, the review log, the queue,
offline sync, progress, and the scheduler's batch work in Celery.

Choices where the issue was silent:

* A CardState row exists once a question has been reviewed; a question without one
  (or with a row in state ``new``, after an undo) is a new card.
* The log is append-only. Undo adds a ReviewUndo row; "the log" everywhere means
  ``ReviewLog.objects.effective()``. Only the latest review of a card can be undone;
  the card gets that review's ``state_before`` back as stored, or, if a sync has
  rebuilt the card since, the replay of the remaining log.
* Replay order is (reviewed_at, client id), so equal timestamps from two devices
  give the same result whatever order they arrive in. A review sent to
  /study/reviews that is not later than the card's last one is merged by replay.
* A resent id returns the stored answer (200 instead of 201); the same id with a
  different question, rating or time is a 409 conflict (a rejection in a sync).
  An undone review sent again is a duplicate and stays undone.
* fsrs fuzz is keyed on the question id (one learner never has two cards of it).
* Days (the scheduler's elapsed days and review due dates, new-card limit, streak,
  heatmap, forecast, reminders, roll-ups, the optimiser) are the learner's study
  days: their time zone (default the site's TIME_ZONE) and rollover hour (default
  4 am, as Anki), see quizzes.study.days.
* Optimisation uses quizzes.core.evaluation.optimise_parameters (numpy/scipy), not
  torch: initial stabilities pre-trained as fsrs-rs does, a full fit from
  STUDY_OPTIMISE_MIN_REVIEWS (100 qualifying reviews), adopted only when it beats
  the current parameters on the latest fifth of the reviews; it runs again after
  STUDY_OPTIMISE_EVERY (500) new reviews. New parameters apply from each card's
  next review; due dates are not rescheduled.
* A learner's suspend and unsuspend are CardEvent rows; rebuilding a card from its
  log applies them at their moments, so an unsuspended leech stays unsuspended.
* What a class knows about a question (quizzes.study.class_model): a nightly
  per-deck fit of offsets to a new card's initial stability and difficulty from
  every learner's first reviews; a card takes its question's offset at its first
  review and keeps it for every replay.
* Students study approved questions of current, shown passages; teachers may also
  review questions they can see in the editor, but the queue offers only the former.
"""
