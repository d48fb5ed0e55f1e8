"""Organisations, users, roles, memberships, invitations, API tokens and the tenancy layer."""
