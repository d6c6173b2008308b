"""The Starlette application: the access token, CSRF tokens, read-only mode and the routes.

Every request needs the access token printed at start: ``?token=…`` (then kept in a cookie that only
this site receives) or the cookie. Every form carries a CSRF token that a page of another site cannot
read; a POST without it is refused. ``--read-only`` refuses every POST. Nothing names a file by a path
taken from a request: problems are found by id in the loaded records, downloads by a fixed name, units
by their number.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from rectifykit import i18n
from rectifykit.i18n import _
from rectifykit.serve import documents, pages, saving
from rectifykit.serve.documents import NotFound
from rectifykit.serve.workspace import Workspace

COOKIE = "rectify_token"


TEMPLATES = Path(__file__).parent / "templates"


@dataclass
class Settings:
    """What ``rectify serve`` was started with."""

    roots: list[Path]
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    read_only: bool = False
    author: str | None = None
    """With ``--commit``: each save is committed by this author."""
    today: Callable[[], dt.date] = dt.date.today


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Guard(BaseHTTPMiddleware):
    """The access token on every request; headers that keep the pages out of frames and the token out of referrers."""

    def __init__(self, app: Any, settings: Settings) -> None:
        super().__init__(app)
        self.settings = settings

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        by_query = _same(request.query_params.get("token"), self.settings.token)
        if not (by_query or _same(request.cookies.get(COOKIE), self.settings.token)):
            message = _("access refused: open the address with the token that rectify serve printed at start")
            return HTMLResponse(f"<!doctype html><meta charset=utf-8><p>{_html(message)}</p>", status_code=403)
        response = await call_next(request)
        if by_query:
            response.set_cookie(COOKIE, self.settings.token, httponly=True, samesite="strict")
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
        return response


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Site:
    """The routes over the served projects."""

    def __init__(self, settings: Settings) -> None:
        from rectifykit.notice import render

        self.settings = settings
        self.units = [Workspace(root, today=settings.today) for root in settings.roots]
        self.env = render.environment("html", project_templates=TEMPLATES, confine=TEMPLATES)

    def page(self, name: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
        base = {"lang": i18n.language(), "csrf": self.settings.csrf, "read_only": self.settings.read_only,
                "several": len(self.units) > 1, "t": TEXTS()}
        return HTMLResponse(self.env.get_template(name).render({**base, **context}), status_code=status)

    def unit(self, request: Request) -> tuple[int, Workspace]:
        raw = request.path_params.get("unit", 0)
        if not 0 <= raw < len(self.units):
            raise NotFound(raw)
        return raw, self.units[raw]

    def home(self, request: Request) -> Response:
        if len(self.units) > 1:
            return self.rollup(request)
        return self.dashboard(request)

    def dashboard(self, request: Request) -> Response:
        n, ws = self.unit(request)
        view = ws.current()
        return self.page("serve_dashboard.html.j2", {"u": n, "unit": _unit_name(view), **pages.dashboard(view)})

    def rollup(self, request: Request) -> Response:
        rows = []
        for n, ws in enumerate(self.units):
            view = ws.current()
            row = pages.counts(view.report.overall) if view.report else None
            rows.append({"u": n, "name": _unit_name(view), "counts": row, "errors": len(view.project.errors)})
        return self.page("serve_rollup.html.j2", {"u": 0, "rows": rows})

    def problems(self, request: Request) -> Response:
        n, ws = self.unit(request)
        view = ws.current()
        return self.page("serve_problems.html.j2",
                         {"u": n, "unit": _unit_name(view), **pages.problem_list(view, request.query_params)})

    def problem(self, request: Request, outcome: saving.Outcome | None = None, item: str = "",
                submitted: dict[str, str] | None = None) -> Response:
        n, ws = self.unit(request)
        view = ws.current()
        pid = request.path_params["pid"]
        history = documents.history(ws.root, pid) if pid in view.findings else None
        context = pages.problem(view, pid, history=history)
        if context is None:
            return self.page("serve_error.html.j2", {"u": n, "message": _("no such problem")}, status=404)
        result = {"item": item, "saved": outcome.saved, "fields": outcome.fields, "general": outcome.general,
                  "diff": outcome.diff, "notice": outcome.notice, "submitted": submitted or {}} if outcome else None
        status = 200 if outcome is None or outcome.saved or outcome.notice else 422
        return self.page("serve_problem.html.j2", {"u": n, "unit": _unit_name(view), "p": context,
                                                   "result": result}, status=status)

    async def _form(self, request: Request) -> dict[str, Any]:
        """The posted form, when its CSRF token is right and writes are allowed; else PermissionError."""
        form = await request.form(max_part_size=saving.MAX_UPLOAD + 1)
        if not _same(str(form.get("csrf") or ""), self.settings.csrf):
            raise PermissionError(_("the form's CSRF token is missing or wrong; reload the page and try again"))
        if self.settings.read_only:
            raise PermissionError(_("this server is read-only (--read-only): nothing can be changed"))
        return dict(form)

    def _target(self, request: Request) -> tuple[Workspace, str, str]:
        _n, ws = self.unit(request)
        pid, slug = request.path_params["pid"], request.path_params["item"]
        loaded = ws.latest().findings.get(pid)  # the save reads the file itself, under its lock
        if loaded is None or not (ws.root / loaded.path).is_file():  # new or moved since: look again
            loaded = ws.current().findings.get(pid)
        if loaded is None or not all(x.isdigit() for x in slug.split(".")):
            raise NotFound(pid)
        return ws, loaded.path, f"{pid}#{slug}"

    async def save(self, request: Request) -> Response:
        form = await self._form(request)
        ws, display, key = self._target(request)
        if "measures" in form:  # the measures of a response, edited as text
            text = str(form["measures"])
            outcome = saving.save_measures(ws.root, display, key, text, str(form.get("orig_measures", "")),
                                           today=ws.today(), author=self.settings.author)
            return self.problem(request, outcome, f"{key}:measures", {"measures": text})
        submitted = {k: str(form[k]) for k in saving.FIELDS if k in form}
        original = {k: str(form.get(f"orig_{k}", "")) for k in saving.FIELDS}
        outcome = saving.save_item(ws.root, display, key, submitted, original, today=ws.today(),
                                   author=self.settings.author)
        return self.problem(request, outcome, key, submitted)

    async def upload(self, request: Request) -> Response:
        form = await self._form(request)
        ws, display, key = self._target(request)
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            return self.problem(request, saving.Outcome(general=[_("choose a file to upload")]), key)
        data = await upload.read(saving.MAX_UPLOAD + 1)
        outcome = saving.store_evidence(ws.root, display, key, upload.filename, data, today=ws.today(),
                                        author=self.settings.author)
        return self.problem(request, outcome, key)

    def notice(self, request: Request) -> Response:
        n, ws = self.unit(request)
        view = ws.current()
        return self.page("serve_notice.html.j2", {"u": n, "unit": _unit_name(view), "draft": view.incomplete,
                                                  "errors": [pages.diag(d) for d in view.project.errors[:20]],
                                                  "downloads": documents.NAMES})

    def download(self, request: Request) -> Response:
        _n, ws = self.unit(request)
        return documents.download(ws.current(), request.path_params["name"], today=ws.today(),
                                  inline=request.query_params.get("inline") == "1")


def _unit_name(view: Any) -> str:
    inspection = view.project.inspection
    return inspection.record.unit if inspection is not None else view.project.root.name


def TEXTS() -> dict[str, str]:
    from rectifykit.serve.words import texts

    return texts()


def create_app(settings: Settings) -> Starlette:
    """The application for ``settings`` (the folders must be projects: ProjectError otherwise)."""
    site = Site(settings)

    async def refused(request: Request, exc: Exception) -> Response:
        return site.page("serve_error.html.j2", {"u": 0, "message": str(exc)}, status=403)

    async def missing(request: Request, exc: Exception) -> Response:
        return site.page("serve_error.html.j2", {"u": 0, "message": _("no such page")}, status=404)

    routes = [
        Route("/", site.home),
        Route("/problems", site.problems),
        Route("/u/{unit:int}/", site.dashboard),
        Route("/u/{unit:int}/problems", site.problems),
        Route("/u/{unit:int}/problem/{pid}", site.problem),
        Route("/u/{unit:int}/problem/{pid}/item/{item}", site.save, methods=["POST"]),
        Route("/u/{unit:int}/problem/{pid}/item/{item}/evidence", site.upload, methods=["POST"]),
        Route("/u/{unit:int}/notice", site.notice),
        Route("/u/{unit:int}/download/{name}", site.download),
        Route("/rollup", site.rollup),
    ]
    app = Starlette(routes=routes, middleware=[Middleware(Guard, settings=settings)],
                    exception_handlers={PermissionError: refused, NotFound: missing, 404: missing})
    app.state.site = site
    return app
