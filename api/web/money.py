"""Money: expenses, settlements and bank-file reviews for one household (/app/…/money)."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.routing import WebRoute
from api.web.session import HouseholdOfViewer, SignedIn
from api.web.templating import render

router = APIRouter(prefix="/app/households/{household_id}/money", route_class=WebRoute)


@router.get("")
def money_page(request: Request, viewer: SignedIn, membership: HouseholdOfViewer) -> Response:
    return render(
        request,
        "money/index.html",
        {
            "viewer": viewer,
            "csrf": viewer.csrf,
            "household": membership.household,
            "membership": membership,
            "section": "money",
        },
    )
