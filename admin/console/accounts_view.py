"""The console's account page (administrators of the department only): the accounts, with the
provinces of each provincial office, and a form that creates one, as `flask admin create` does."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from admin.console import accounts, forms, texts
from admin.console.auth import current_admin, protect_forms, require_role
from bot.current import current_services
from bot.models import AdminRole, AdminUser

blueprint = Blueprint("console_accounts", __name__, url_prefix="/admin/accounts", template_folder="templates")
protect_forms(blueprint)


@blueprint.route("/", methods=["GET", "POST"])
@require_role(AdminRole.ADMIN)
def accounts_page() -> ResponseReturnValue:
    form = forms.AccountForm()
    status = 200
    if form.validate_on_submit():
        username = (form.username.data or "").strip()
        try:
            with current_services().db.session() as session:
                accounts.create(
                    session,
                    username,
                    form.password.data or "",
                    AdminRole(form.role.data),
                    actor=current_admin().username,
                    provinces=form.province_names(),
                )
        except accounts.AccountError as error:
            form.form_errors.append(str(error))
            status = 422
        else:
            role = texts.ROLE_NAMES[form.role.data or "viewer"]
            flash(texts.ACCOUNT_CREATED.format(username=username, role=role), "info")
            return redirect(url_for("console_accounts.accounts_page"))
    elif form.is_submitted():
        status = 400
    with current_services().db.session() as session:
        users = session.scalars(
            select(AdminUser).options(selectinload(AdminUser.provinces)).order_by(AdminUser.username)
        ).all()
        return render_template(
            "console/accounts.html", users=users, form=form, title=texts.ACCOUNTS_TITLE
        ), status
