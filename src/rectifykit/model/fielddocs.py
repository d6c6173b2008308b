"""What each field of the record files means: the titles, descriptions and examples of the JSON Schema.

English msgids, translated at use (the Chinese is in the catalogue); keyed by ``Model.field``, the fields of
:class:`~rectifykit.model.records.Tracking` once for both Response and Part. A test checks that every
property of the schema has an entry, so this table cannot fall behind the model.
"""

from __future__ import annotations

from rectifykit.i18n import N_
from rectifykit.model.records import State

DOCS: dict[str, tuple[str, str]] = {
    "Finding": (
        N_("Feedback problem"),
        N_("One feedback problem (反馈问题) of the inspection, kept in its own file data/findings/ID.yaml."),
    ),
    "Inspection": (
        N_("Inspection"),
        N_("The inspection itself and the narrative parts of its notice (data/inspection.yaml)."),
    ),
    "Response": (
        N_("Response"),
        N_("What was done about some points of the problem, or the whole problem: status, measures, who is "
           "responsible."),
    ),
    "Part": (
        N_("Part of a response"),
        N_("Some points of a response in a state of their own (for a combined status); tracking fields left out are "
           "taken from the response."),
    ),
    "Status": (N_("Status"), N_("The canonical state(s) and the exact wording the unit published.")),
    "Point": (N_("Point"), N_("A point of the problem, printed 一是…, 二是…; its number is its position in the list.")),
    "MeasureParagraph": (
        N_("Measures paragraph"),
        N_("A measures paragraph: optional lead text, numbered items （1）（2）…, closing text."),
    ),
    "Period": (N_("Period"), N_("The period of the on-site inspection.")),
    "Category": (N_("Category"), N_("A category of feedback problems, printed as a heading of the problems section.")),
    "Section": (N_("Section"), N_("A top-level section (一、二、…) of the notice.")),
    "Paragraph": (
        N_("Paragraph"),
        N_("A narrative paragraph; with a title it is numbered （一）（二）… in its section."),
    ),
    "Milestones": (
        N_("Milestones"),
        N_("Policy dates of the rectification; left out, they are computed from the feedback date."),
    ),
    "Contact": (N_("Contact"), N_("How the public reaches the unit about the rectification.")),
    "State": (N_("State"), N_("A canonical tracking state.")),
    "Finding.id": (
        N_("ID"),
        N_("The problem's identifier and the file name without .yaml: lower-case letters, digits, - and _."),
    ),
    "Finding.category": (N_("Category key"), N_("The key of one of the categories in data/inspection.yaml.")),
    "Finding.order": (
        N_("Order in category"),
        N_("Position within the category; the printed number 1.–N. is derived from it."),
    ),
    "Finding.title": (N_("Problem title"), N_("The problem as the inspection team worded it.")),
    "Finding.description": (N_("Description"), N_("More text about the problem, printed after the title.")),
    "Finding.points": (N_("Points"), N_("The points of the problem (一是…, 二是…).")),
    "Finding.points_inline": (
        N_("Points inline"),
        N_("Print the first points in the title's paragraph; default: when one response covers all."),
    ),
    "Finding.responses": (
        N_("Responses"),
        N_("What was done about the problem: one response, or one per group of points."),
    ),
    "Finding.unplaced": (
        N_("Unplaced text"),
        N_("Text of an imported notice that rectify import could not place, kept verbatim; never printed."),
    ),
    "Inspection.unit": (N_("Inspected unit"), N_("The inspected Party organisation.")),
    "Inspection.unit_self": (N_("Unit (self-reference)"), N_("How the notice refers to the unit itself.")),
    "Inspection.authority": (N_("Authority"), N_("Who deployed the inspection.")),
    "Inspection.team": (N_("Inspection team"), N_("The inspection team.")),
    "Inspection.round": (N_("Round"), N_("The round of inspection.")),
    "Inspection.period": (N_("Period"), N_("Start and end of the on-site inspection.")),
    "Inspection.feedback_date": (
        N_("Feedback date"),
        N_("The day the inspection team gave its feedback (YYYY-MM-DD)."),
    ),
    "Inspection.publication_date": (N_("Publication date"), N_("The day the notice is published (YYYY-MM-DD).")),
    "Inspection.title": (N_("Notice title"), N_("The notice's title; many published notices print none in the body.")),
    "Inspection.opening": (
        N_("Opening"),
        N_("The opening paragraph; may use placeholders such as {unit_self} and {feedback_date}."),
    ),
    "Inspection.sections": (
        N_("Sections"),
        N_("The sections of the notice, in order; exactly one is marked findings: true."),
    ),
    "Inspection.categories": (N_("Categories"), N_("The categories of feedback problems.")),
    "Inspection.closing": (N_("Closing"), N_("The closing paragraph; may use {phone} and {email}.")),
    "Inspection.signature": (N_("Signature"), N_("Who signs the notice.")),
    "Inspection.contact": (N_("Contact"), N_("Phone and e-mail printed in the closing.")),
    "Inspection.milestones": (N_("Milestones"), N_("Policy dates of the rectification.")),
    "Inspection.measures_label": (
        N_("Measures label"),
        N_("Default label of a response's measures; a response may override it."),
    ),
    "Inspection.unplaced": (
        N_("Unplaced text"),
        N_("Text of an imported notice that rectify import could not place, kept verbatim; never printed."),
    ),
    "Period.start": (N_("Start"), N_("First day of the on-site inspection (YYYY-MM-DD).")),
    "Period.end": (N_("End"), N_("Last day of the on-site inspection (YYYY-MM-DD).")),
    "Category.key": (N_("Key"), N_("Short identifier the problems use in their category field.")),
    "Category.title": (N_("Category title"), N_("The category's heading as printed.")),
    "Category.order": (N_("Category order"), N_("Position of the category in the problems section.")),
    "Section.title": (N_("Section title"), N_("The section's heading.")),
    "Section.paragraphs": (N_("Paragraphs"), N_("The section's paragraphs, in order.")),
    "Section.findings": (
        N_("Lists the problems"),
        N_("True for the section that lists the feedback problems by category."),
    ),
    "Paragraph.title": (N_("Paragraph title"), N_("The paragraph's lead sentence, numbered （一）（二）….")),
    "Paragraph.text": (N_("Paragraph text"), N_("The paragraph's text; may use placeholders.")),
    "Point.title": (N_("Point title"), N_("The point's lead sentence.")),
    "Point.text": (N_("Point text"), N_("The point's text.")),
    "MeasureParagraph.intro": (N_("Introduction"), N_("Text before the numbered items.")),
    "MeasureParagraph.items": (N_("Items"), N_("Numbered items （1）（2）….")),
    "MeasureParagraph.outro": (N_("Closing text"), N_("Text after the numbered items.")),
    "Contact.phone": (N_("Phone"), N_("Phone number printed in the closing.")),
    "Contact.email": (N_("E-mail"), N_("E-mail address printed in the closing.")),
    "Milestones.plan_due": (N_("Plan due"), N_("When the rectification plan is due (YYYY-MM-DD).")),
    "Milestones.plan_done": (N_("Plan done"), N_("When the rectification plan was delivered (YYYY-MM-DD).")),
    "Milestones.concentrated_end": (
        N_("Concentrated period ends"),
        N_("Last day of the concentrated rectification period (YYYY-MM-DD)."),
    ),
    "Milestones.report_due": (N_("Report due"), N_("When the rectification report is due (YYYY-MM-DD).")),
    "Milestones.report_done": (N_("Report done"), N_("When the rectification report was delivered (YYYY-MM-DD).")),
    "Status.states": (N_("States"), N_("One canonical state, or several for a combined status.")),
    "Status.label": (N_("Published wording"), N_("The exact wording the unit published, e.g. 整改完成.")),
    "Tracking.leader": (N_("Leader in charge"), N_("The leader responsible; never printed by the default templates.")),
    "Tracking.department": (N_("Department"), N_("The department responsible.")),
    "Tracking.person": (N_("Person"), N_("The person who does the work.")),
    "Tracking.reviewer": (
        N_("Reviewer"),
        N_("Who reviewed and signed off the completion (checked by validate --strict)."),
    ),
    "Tracking.deadline": (N_("Deadline"), N_("When the rectification is due (YYYY-MM-DD).")),
    "Tracking.completed_on": (N_("Completed on"), N_("The day the rectification was completed (YYYY-MM-DD).")),
    "Tracking.next_review": (N_("Next review"), N_("When a continuing item is reviewed next (YYYY-MM-DD).")),
    "Tracking.evidence": (N_("Evidence"), N_("Files in the project or document numbers that prove the work.")),
    "Tracking.notes": (N_("Notes"), N_("Internal notes; never printed.")),
    "Part.points": (N_("Point numbers"), N_("The 1-based numbers of the points in this state.")),
    "Part.state": (N_("State"), N_("The state these points are in.")),
    "Response.covers": (
        N_("Covers"),
        N_("1-based numbers of the points this response answers; left out: the whole problem."),
    ),
    "Response.status": (N_("Status"), N_("The state(s) and the published wording.")),
    "Response.measures_label": (
        N_("Measures label"),
        N_("Label of the measures when it differs from the inspection's."),
    ),
    "Response.measures": (
        N_("Measures"),
        N_("What was done, paragraph by paragraph: plain text or intro/items/outro."),
    ),
    "Response.parts": (N_("Parts"), N_("Which covered points are in which state, when the status is combined.")),
}
"""``Model`` or ``Model.field`` → (title, description), in English."""

EXAMPLES: dict[str, list[object]] = {
    "Finding.id": ["mediation", "theory-study"],
    "Finding.category": ["implementation"],
    "Finding.order": [1],
    "Inspection.unit": ["中共示例县虚构局党组"],
    "Inspection.unit_self": ["我局党组"],
    "Inspection.authority": ["县委"],
    "Inspection.team": ["县委第二巡察组"],
    "Inspection.round": ["十届县委第四轮巡察"],
    "Inspection.period": [{"start": "2023-10-10", "end": "2023-12-10"}],
    "Inspection.feedback_date": ["2024-01-11"],
    "Inspection.publication_date": ["2024-07-11"],
    "Inspection.signature": ["中共示例县虚构局党组"],
    "Inspection.measures_label": ["主要做法和成效"],
    "Period.start": ["2023-10-10"],
    "Period.end": ["2023-12-10"],
    "Category.key": ["implementation"],
    "Category.order": [1],
    "Section.title": ["总体情况"],
    "Section.findings": [True],
    "Contact.phone": ["0711-1234567"],
    "Contact.email": ["xunchazhenggai@example.org"],
    "Status.states": [["completed"], ["completed", "in_progress"]],
    "Status.label": ["整改完成", "已完成整改，长期坚持"],
    "Tracking.leader": ["张三"],
    "Tracking.department": ["局办公室"],
    "Tracking.deadline": ["2024-12-31"],
    "Tracking.completed_on": ["2024-06-30"],
    "Tracking.evidence": [["evidence/minutes.pdf", "示司发〔2024〕3号"]],
    "Part.points": [[1, 2]],
    "Part.state": ["in_progress"],
    "Response.covers": [[1, 2]],
    "Response.status": [{"states": ["completed"], "label": "整改完成"}],
    "Response.measures_label": ["主要做法及成效"],
}
"""Values shown by editors as examples (the record text of the examples is Chinese in both languages)."""

STATE_LABELS: dict[State, str] = {
    State.completed: N_("completed"),
    State.completed_ongoing: N_("completed and kept up"),
    State.deemed_completed: N_("deemed completed, rectification continues"),
    State.in_progress: N_("in progress (continuing rectification)"),
    State.not_started: N_("not started"),
}
"""What each canonical state means (the Chinese is the genre's usual wording, as in STATE_WORDING)."""
