"""Typed errors of the connections context (codes are stable; messages are for people)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from microreach.web.errors import ApplicationError, ErrorCode


class NetworkNotSetUp(ApplicationError):
    status = 409

    def __init__(self, network: str):
        from microreach.web.connections.networks import NAMES, settings_names

        if network not in NAMES:
            super().__init__(
                ErrorCode.UNKNOWN_NETWORK, _("microreach cannot connect this network."), {"network": network}
            )
            self.status = 404
            return
        client_id, secret = settings_names(network)
        super().__init__(
            ErrorCode.NETWORK_NOT_SET_UP,
            _(
                "Connecting %(network)s is not set up on this installation: its operator registers an app "
                "with %(network)s and sets %(id)s and %(secret)s."
            )
            % {"network": NAMES[network], "id": client_id, "secret": secret},
            {"network": network},
        )


class ConnectionFailed(ApplicationError):
    """The connect flow stopped; nothing was stored. ``cause``: the network error's own code
    (``network_unavailable``, ``bad_response``, ``token_revoked``…) when a call to the network failed."""

    def __init__(self, network: str, code: ErrorCode, message: str, *, cause: str = ""):
        super().__init__(code, message, {"network": network, **({"cause": cause} if cause else {})})
