"""The persistent catalog (issue 12): documents, clauses, tasks, sources, link decisions and the
keyword/restorer stores in one database, opened without loading the corpus into memory."""
