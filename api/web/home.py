"""A household's home (/app/households/{id}): the fairness picture and what to do next."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.web.cookies import remember_household
from api.web.routing import WebRoute
from api.web.session import HouseholdOfViewer, SignedIn
from api.web.templating import render

router = APIRouter(prefix="/app/households/{household_id}", route_class=WebRoute)


@router.get("")
def home_page(request: Request, viewer: SignedIn, membership: HouseholdOfViewer) -> Response:
    response = render(
        request,
        "home.html",
        {
            "viewer": viewer,
            "csrf": viewer.csrf,
            "household": membership.household,
            "membership": membership,
            "section": "home",
        },
    )
    remember_household(response, request, membership.household.id)
    return response
