"""``POST /api/v1/auth/token/``: a user's name and password for their API token."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import PermissionDenied, Throttled, ValidationError
from rest_framework.response import Response

from orgs.lockout import lock_message, locked_until
from reform.api.throttles import ScopedRateThrottle
from reform.audit import client_address, record
from reform.models import AuditKind


class TokenRequestSerializer(AuthTokenSerializer):
    """登录名与密码 / A user's name and password."""

    username = serializers.CharField(label=_("Username"), help_text=_("The user's login name"), write_only=True)
    password = serializers.CharField(
        label=_("Password"),
        help_text=_("The user's password"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )


class TokenSerializer(serializers.Serializer):
    """令牌 / An API token."""

    token = serializers.CharField(help_text=_("Send it as the header “Authorization: Token <token>”"))


class TokenView(ObtainAuthToken):
    """令牌 / The caller's API token, made at the first request and the same after."""

    serializer_class = TokenRequestSerializer
    # DRF leaves this door unthrottled: password guessing is slowed per address.
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer, summary=_("Get an API token"))
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # A name the serializer refused (a NUL, say) was never tried: no lock to tell of.
            name = "" if "username" in serializer.errors else str(request.data.get("username", ""))
            until = locked_until(name, client_address(request)) if name else None
            if until is not None:
                raise Throttled(wait=(until - timezone.now()).total_seconds(), detail=lock_message(until))
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if user.must_change_password or user.password_expired():
            raise PermissionDenied(
                _("Choose a new password in the browser first: this one was set by staff or has expired."),
                code="password_change_required",
            )
        token, _created = Token.objects.get_or_create(user=user)
        record(AuditKind.TOKEN_ISSUED, request=request, username=user.get_username())
        return Response({"token": token.key})
