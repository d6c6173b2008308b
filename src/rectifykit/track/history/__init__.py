"""Records at git revisions (read through git, nothing checked out), what a change between two of them means,
and the history of each item.

- :class:`Repo` runs ``git ls-tree`` and ``git cat-file --batch`` (the batch form of ``git show REV:path``)
  in the repository that holds the project; the working tree is read from the files.
- :func:`compare` is the semantic diff behind ``rectify diff``: problems added or removed, items whose
  status changed, deadlines moved, measures added or edited, other tracking fields changed, items that
  became overdue, and the review rules for items that moved to a completed state.
- :func:`item_log` is ``rectify log``: each status change and deadline move with the commit, its author and
  date, and the back-dating lint (RK248).

Items are named as everywhere else: ``problem-id#2`` for a response, ``problem-id#2.1`` for its first part.
Git errors (no git, not a repository, an unknown revision) raise :class:`GitError`.
"""

from rectifykit.track.history.changes import (
    Changes,
    DeadlineMove,
    FieldChange,
    ItemState,
    MeasureChange,
    Overdue,
    StatusChange,
    compare,
    diff,
)
from rectifykit.track.history.git import Commit, GitError, Repo
from rectifykit.track.history.itemlog import Event, History, item_log
from rectifykit.track.history.snapshot import ItemRef, Snapshot, read_revision, read_worktree, refused_links

__all__ = [
    "Changes", "Commit", "DeadlineMove", "Event", "FieldChange", "GitError", "History", "ItemRef", "ItemState",
    "MeasureChange", "Overdue", "Repo", "Snapshot", "StatusChange", "compare", "diff", "item_log", "read_revision",
    "read_worktree", "refused_links",
]
