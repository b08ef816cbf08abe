"""`GET /`: a read-only Thai page of what the bot knows: the latest directives, the 10Es, provinces.

It lets anyone who runs the bot locally see its content without a LINE channel.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select

from bot import content
from bot.current import current_services
from bot.models import GroupStatus, LineGroup, Province, Region, RegionScheme
from bot.thai import format_thai_date

blueprint = Blueprint("home", __name__)
blueprint.add_app_template_filter(format_thai_date, "thai_date")


@blueprint.get("/")
def index() -> str:
    services = current_services()
    with services.db.session() as session:
        meeting = content.latest_meeting(session)
        ten_es = content.ten_es(session)
        regions = session.execute(
            select(Region.name_th, func.count(Province.id))
            .join(Province, Province.region_id == Region.id)
            .where(Region.scheme == RegionScheme.GEOGRAPHIC)
            .group_by(Region.id, Region.name_th, Region.sort_order)
            .order_by(Region.sort_order)
        ).all()
        active_groups = session.scalar(
            select(func.count()).select_from(LineGroup).where(LineGroup.status == GroupStatus.ACTIVE)
        )
        return render_template(
            "home.html", meeting=meeting, ten_es=ten_es, regions=regions, active_groups=active_groups
        )
