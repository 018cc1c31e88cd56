"""Local times and their questions, time zones in iCalendar, and the iCalendar writer:
what meetings and trainings share about putting an event in a calendar."""
