"""Domain data in the user's language: reasons, conflicts and figures become sentences here.

Only the CLI and the export call this package; each part of the tool keeps its wording in its own
module (and its Spanish in its own .po file under planner/locale/es/LC_MESSAGES/).
"""
