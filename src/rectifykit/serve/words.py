"""The words of the pages, translated at each page (Chinese by default, English with ``--lang en``)."""

from __future__ import annotations

from rectifykit.i18n import N_, _

WORDS = {
    "dashboard": N_("Dashboard"), "problems": N_("Problems"), "notice": N_("Notice"), "rollup": N_("Roll-up"),
    "as_of": N_("as of"), "items": N_("items"), "done": N_("done"), "open": N_("open"),
    "overdue": N_("overdue"), "urgent": N_("urgent"), "review": N_("due for review"),
    "rate": N_("completion"), "category": N_("category"), "state": N_("state"), "owner": N_("owner"),
    "band": N_("band"), "search": N_("search"), "filter": N_("Filter"), "all": N_("all"),
    "page": N_("page"), "previous": N_("previous"), "next": N_("next"), "deadline": N_("deadline"),
    "milestones": N_("Milestones"), "none": N_("none"), "title": N_("title"), "item": N_("item"),
    "points": N_("Points"), "responses": N_("Responses"), "measures": N_("measures"),
    "evidence": N_("evidence"), "history": N_("History"), "no_history": N_("no git history"),
    "save": N_("Save"), "upload": N_("Upload"), "diagnostics": N_("Diagnostics"),
    "download": N_("Download"), "draft": N_("草稿 (draft): the records are incomplete"),
    "status": N_("status"), "label": N_("published wording"), "leader": N_("leader in charge"),
    "department": N_("department"), "person": N_("person in charge"), "reviewer": N_("reviewer"),
    "completed_on": N_("completed on"), "next_review": N_("next review"), "notes": N_("notes"),
    "read_only": N_("read-only: nothing can be changed here"), "errors": N_("errors"),
    "warnings": N_("warnings"), "by_band": N_("Items by band"), "by_category": N_("By category"),
    "attention": N_("Needs attention"), "unit": N_("unit"), "not_saved": N_("Not saved"),
    "measures_hint": N_("one paragraph a block, blocks separated by a blank line; numbered measures on lines "
                        "starting （1）（2）…"),
    "measures_fixed": N_("these measures are written in a form this page cannot show as text: edit them in the "
                         "record file"),
    "save_measures": N_("Save measures"),
    "problem_list": N_("Problem list"), "more": N_("more: see the problem list"),
}


def texts() -> dict[str, str]:
    """Every word of the pages in the current language."""
    return {key: _(word) for key, word in WORDS.items()}
