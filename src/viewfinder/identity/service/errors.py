"""Errors that more than one area of identity raises."""

from viewfinder.kit.errors import Conflict


class EmailTaken(Conflict):
    title = "An account with this email address exists"


class LastOwner(Conflict):
    title = "A workspace keeps at least one owner"
