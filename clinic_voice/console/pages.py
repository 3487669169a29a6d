"""The console's pages: callbacks, questions to review, answers, phrasings, try, checks, history."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from clinic_voice.console import editing
from clinic_voice.console.accounts import User, sign_in
from clinic_voice.console.audit import record
from clinic_voice.console.editing import Conflict, Console, Invalid
from shared.core.content import DEFAULT_LOCALE

pages = Blueprint("pages", __name__)
OPEN_ENDPOINTS = frozenset({"pages.login", "static"})
REASONS = {"no_front_desk": "no front desk line", "busy": "front desk busy", "no-answer": "front desk did not answer",
           "failed": "transfer failed"}


class StaffUser:
    """Flask-Login's view of a user."""

    is_active = is_authenticated = True
    is_anonymous = False

    def __init__(self, user: User):
        self.id, self.name = user.id, user.name

    def get_id(self) -> str:
        return str(self.id)


def console() -> Console:
    return current_app.extensions["console"]


@pages.before_app_request
def signed_in_only():
    """Every URL but /login (and the stylesheet) needs a signed-in user: unknown ones too."""
    if request.endpoint not in OPEN_ENDPOINTS and not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no //host or scheme): a login link cannot send staff elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target.rstrip("?")
    return url_for("pages.callbacks")


@pages.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        name = request.form.get("username", "").strip()
        outcome = sign_in(console().db, name, request.form.get("password", ""))
        if outcome.just_locked:
            record(console().db, "(sign-in)", "user", f"user:{name}",
                   f"locked {name} until {outcome.locked_until:%H:%M} UTC after too many wrong passwords")
        if outcome.user is not None:
            session.clear()
            login_user(StaffUser(outcome.user))
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
        error = (f"This account is locked after too many wrong passwords; try again after "
                 f"{outcome.locked_until:%H:%M} UTC." if outcome.locked_until else "Wrong user name or password.")
    return render_template("login.html", error=error), 401 if error else 200


@pages.route("/logout", methods=["POST"])
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("pages.login"))


@pages.route("/")
def home():
    return redirect(url_for("pages.callbacks"))


def _refused(exc: Exception) -> None:
    if isinstance(exc, Invalid):
        for problems in exc.problems.values():
            for problem in problems:
                flash(problem, "error")
    else:
        flash(str(exc), "error")


# ---------------------------------------------------------------- callbacks

@pages.route("/callbacks")
def callbacks():
    from shared.followup.callbacks import open_callbacks
    return render_template("callbacks.html", requests=open_callbacks(console().db), reasons=REASONS)


@pages.route("/callbacks/<int:callback_id>/done", methods=["POST"])
def callback_done(callback_id: int):
    try:
        editing.callback_done(console(), current_user.name, callback_id)
        flash(f"Callback {callback_id} marked done.", "ok")
    except Conflict as exc:
        _refused(exc)
    return redirect(url_for("pages.callbacks"))


# ---------------------------------------------------------------- questions to review

def _intents() -> list[str]:
    return [p.intent for p in editing.phrasings(console()) if not p.intent.startswith("AMAZON.") or p.samples]


@pages.route("/review")
def review():
    from shared.followup.review import open_items
    items = open_items(console().db)
    intents = _intents()
    choices = {item.id: ([item.heard_as] if item.heard_as in intents else []) +
               [i for i in intents if i != item.heard_as] for item in items}
    names = _topic_names()
    labels = {i: f"{names[i]} ({i})" if i in names else i for i in intents}  # "whether it hurts (PainIntent)"
    return render_template("review.html", items=items, choices=choices, labels=labels)


def _topic_names() -> dict[str, str]:
    """What each topic intent is about, in the words the line uses ("whether it hurts")."""
    return console().store.content(DEFAULT_LOCALE).phrases["topic_names"]


@pages.route("/review/<int:item_id>/teach", methods=["POST"])
def teach(item_id: int):
    from clinic_voice.staff import attempt
    intent = request.form.get("intent", "")
    try:
        sample = editing.teach(console(), current_user.name, item_id, intent)
    except (Invalid, Conflict) as exc:
        _refused(exc)
        return redirect(url_for("pages.review"))
    seen = attempt(console().store.current(), sample)
    flash(f"Taught \u201c{sample}\u201d to {intent}. The phone line now picks {seen.intent or 'the fallback'} "
          f"({seen.decision}, score {seen.score:.2f}) for those words.", "ok")
    return redirect(url_for("pages.review"))


@pages.route("/review/<int:item_id>/dismiss", methods=["POST"])
def dismiss(item_id: int):
    try:
        editing.dismiss(console(), current_user.name, item_id)
        flash("Dismissed.", "ok")
    except Conflict as exc:
        _refused(exc)
    return redirect(url_for("pages.review"))


# ---------------------------------------------------------------- answers

@pages.route("/answers")
def answers():
    return _answers_page()


def _answers_page(errors: dict[str, list[str]] | None = None, key: str = "", typed: dict | None = None, status: int = 200):
    store = console().store
    content = store.content(DEFAULT_LOCALE)
    topics = editing.answers(console())
    previews = {a.key: editing.preview(content, a.intent) for a in topics}
    typed_steps = typed.getlist("step") if typed is not None and hasattr(typed, "getlist") else []
    return render_template("answers.html", topics=topics, previews=previews, errors=errors or {}, failed=key,
                           typed=typed or {}, typed_steps=typed_steps, file=console().content_file), status


@pages.route("/answers/<key>", methods=["POST"])
def save_answer(key: str):
    form = request.form
    numbers, bad = {}, {}
    for name in [n[2:] for n in form if n.startswith("n:")]:
        try:
            numbers[name] = int(form[f"n:{name}"])
        except ValueError:
            bad[f"n:{name}"] = [f"{name}: write a whole number"]
    if bad:
        return _answers_page(bad, key, form, 400)
    try:
        editing.save_answer(console(), current_user.name, key, form.get("answer", ""), numbers, form.get("version", ""),
                            form.getlist("step"))
    except Invalid as exc:
        return _answers_page(exc.problems, key, form, 400)
    except Conflict as exc:
        return _answers_page({"": [str(exc)]}, key, form, 409)
    flash(f"Saved the {key} answer. Both channels now say what the preview shows.", "ok")
    return redirect(url_for("pages.answers", _anchor=key))


# ---------------------------------------------------------------- phrasings

@pages.route("/phrasings")
def phrasings():
    return render_template("phrasings.html", intents=editing.phrasings(console()), check=None, names=_topic_names())


@pages.route("/phrasings/<intent>/add", methods=["POST"])
def add_phrasing(intent: str):
    sample, seen = request.form.get("sample", ""), request.form.get("version", "")
    check = editing.check_sample(console(), intent, sample)
    if check.errors or (check.conflicts and not request.form.get("confirm")):
        return render_template("phrasings.html", intents=editing.phrasings(console()), check=check, names=_topic_names(),
                               intent=intent, version=seen), 400 if check.errors else 200
    return _change_samples(intent, seen, add=check.sample)


@pages.route("/phrasings/<intent>/remove", methods=["POST"])
def remove_phrasing(intent: str):
    return _change_samples(intent, request.form.get("version", ""), remove=request.form.get("sample", ""))


def _change_samples(intent: str, seen: str, add: str = "", remove: str = ""):
    try:
        editing.change_samples(console(), current_user.name, intent, seen, add=add, remove=remove)
        flash(f"Added \u201c{add}\u201d to {intent}." if add else f"Removed \u201c{remove}\u201d from {intent}.", "ok")
    except (Invalid, Conflict) as exc:
        _refused(exc)
    return redirect(url_for("pages.phrasings", _anchor=intent))


# ---------------------------------------------------------------- try, checks, history

@pages.route("/try")
def try_page():
    from clinic_voice.staff import attempt
    text = request.args.get("text", "").strip()[:500]
    seen = attempt(console().store.current(), text) if text else None
    return render_template("try.html", text=text, seen=seen)


@pages.route("/checks")
def checks():
    measure = request.args.get("measure") == "1"
    return render_template("checks.html", report=editing.checks(console(), measure), measured=measure)


@pages.route("/history")
def history():
    from clinic_voice.console.audit import entries
    return render_template("history.html", entries=entries(console().db))


@pages.route("/history/<int:entry_id>/undo", methods=["POST"])
def undo(entry_id: int):
    try:
        flash(editing.undo(console(), current_user.name, entry_id).capitalize() + ".", "ok")
    except (Invalid, Conflict) as exc:
        _refused(exc)
    return redirect(url_for("pages.history"))


@pages.app_template_filter("readable")
def readable(ssml: str) -> str:
    """Alexa's SSML as staff read it: `It's`, not `It&#x27;s` (the page escapes it again)."""
    import html
    return html.unescape(ssml)


@pages.app_template_filter("shown")
def shown(text: str) -> str:
    return console().shown(text)


@pages.app_template_filter("when")
def when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"
