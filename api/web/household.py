"""Household: members, the agreement, invitations and the activity feed (/app/…/household)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.routing import WebRoute
from api.web.session import HouseholdOfViewer, SignedIn
from api.web.templating import render

router = APIRouter(prefix="/app/households/{household_id}/household", route_class=WebRoute)


@router.get("")
def household_page(request: Request, viewer: SignedIn, membership: HouseholdOfViewer) -> Response:
    return render(
        request,
        "household/index.html",
        {
            "viewer": viewer,
            "csrf": viewer.csrf,
            "household": membership.household,
            "membership": membership,
            "section": "household",
        },
    )
