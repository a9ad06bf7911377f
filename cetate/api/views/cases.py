"""Cases: the filtered list, registration, one case, its events, and its actions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cetate.accounts.access import access_case, access_intake, case_roles
from cetate.accounts.models import User
from cetate.api.actions import ACTIONS, CaseAction
from cetate.api.filters import filtered_cases
from cetate.api.pagination import CasePagination
from cetate.api.serializers.cases import (
    CaseFilterSerializer,
    CaseSerializer,
    EventQuerySerializer,
    EventSerializer,
)
from cetate.api.serializers.errors import error_responses
from cetate.api.serializers.intake import CaseCreateSerializer
from cetate.cases.choices import Channel
from cetate.cases.models import Case
from cetate.intake.staff import Caller, register_at_console
from cetate.lib import clock


def acting_user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # IsStaffMember let only staff in
    return user


def parsed(serializer_class: type[Any], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    validated: dict[str, Any] = serializer.validated_data
    return validated


class CaseList(GenericAPIView[Case]):
    serializer_class = CaseSerializer
    pagination_class = CasePagination
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="cases_list",
        summary="The cases you may see, filtered, newest first",
        parameters=[CaseFilterSerializer],
        responses={200: CaseSerializer(many=True), **error_responses(400, 404)},
        tags=["cases"],
    )
    def get(self, request: Request) -> Response:
        filters = parsed(CaseFilterSerializer, request.query_params)
        cases = filtered_cases(acting_user(request), filters, clock.now())
        page = self.paginate_queryset(
            cases.select_related("assignee").prefetch_related("links_as_first", "links_as_second")
        )
        assert page is not None
        return self.get_paginated_response(CaseSerializer(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        summary="Register a case (channel: api), with its resident",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer, **error_responses(400)},
        tags=["cases"],
    )
    def post(self, request: Request) -> Response:
        user = acting_user(request)
        access_intake(user)
        data = parsed(CaseCreateSerializer, request.data)
        case = register_at_console(
            actor=user,
            channel=Channel.API,
            kind=data["kind"],
            description=data["description"],
            caller=Caller(**(data["reporter"] or {})),
            category=data["category"],
            title=data["title"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            address=data["address"],
            priority=data["priority"],
            answers=data["answers"],
            answer_on_spot=data["answer_on_spot"],
            route_now=data["route_now"],
            known_contact=data["contact"],
            language=data["language"],
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetail(APIView):
    @extend_schema(
        operation_id="cases_retrieve",
        summary="One case",
        responses={200: CaseSerializer, **error_responses(404)},
        tags=["cases"],
    )
    def get(self, request: Request, case_id: int) -> Response:
        case = access_case(acting_user(request), case_id)
        return Response(CaseSerializer(case).data)


class CaseEvents(APIView):
    @extend_schema(
        operation_id="cases_events",
        summary="The case's history, oldest first",
        parameters=[EventQuerySerializer],
        responses={200: EventSerializer(many=True), **error_responses(400, 404)},
        tags=["cases"],
    )
    def get(self, request: Request, case_id: int) -> Response:
        user = acting_user(request)
        case = access_case(user, case_id)
        query = parsed(EventQuerySerializer, request.query_params)
        events = case.events.select_related("actor").order_by("seq")
        if query.get("after") is not None:
            events = events.filter(seq__gt=query["after"])
        # Internal events are for the staff who hold a role on the case, as on its card.
        public = True if not case_roles(user, case) else query.get("public")
        if public is not None:
            events = events.filter(public=public)
        return Response(EventSerializer(events, many=True).data)


def action_view(action: CaseAction) -> type[APIView]:
    """The endpoint of one action: parse its input, find the case, call its service."""
    answer = status.HTTP_201_CREATED if action.created else status.HTTP_200_OK

    class ActionView(APIView):
        parser_classes = [MultiPartParser] if action.multipart else [JSONParser]
        files_accepted = 1 if action.multipart else 0

        @extend_schema(
            operation_id=f"cases_{action.name.replace('-', '_')}",
            summary=action.summary,
            request=action.input,
            responses={answer: action.output, **error_responses(400, 404, 409)},
            tags=["case actions"],
        )
        def post(self, request: Request, case_id: int) -> Response:
            user = acting_user(request)
            case = access_case(user, case_id)
            result = action.perform(user, case, parsed(action.input, request.data))
            return Response(action.output(result).data, status=answer)

    ActionView.__name__ = ActionView.__qualname__ = (
        "".join(part.title() for part in action.name.split("-")) + "Action"
    )
    return ActionView


ACTION_VIEWS = {action.name: action_view(action) for action in ACTIONS}
