"""Rules for emails and new passwords: the suite's accounts and the Sandbox network's people follow the same."""

from __future__ import annotations

from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from viewfinder.kit.errors import InvalidInput

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256  # argon2 takes any length; this bounds the work one request can ask for


class WeakPassword(InvalidInput):
    title = "The password is too weak"


class InvalidEmail(InvalidInput):
    title = "The email address is not valid"


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    # The 30,000 most common passwords of leaked password sets, as zxcvbn ships them.
    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "") -> str | None:
    """What is wrong with a new password, in words a person can act on; None when it will do."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Use at least {MIN_PASSWORD_LENGTH} characters."
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Use at most {MAX_PASSWORD_LENGTH} characters."
    if password.lower() in _common_passwords() or (email and password.lower() == email.lower()):
        return "This password is among the most common ones: choose another."
    return None


def check_new_password(password: str, *, email: str = "", field: str = "password") -> str:
    """Refuse short, overlong and common passwords, and the email itself (a 422 naming `field`)."""
    if problem := password_problem(password, email=email):
        raise WeakPassword(problem, errors=[{"field": field, "message": problem, "code": "weak_password"}])
    return password


def canonical_email(email: str) -> str:
    """The form emails are stored and compared in: validated, with the domain and the local part lowercased.

    Raises EmailNotValidError, a ValueError, so it serves as a pydantic validator as it is."""
    return validate_email(email.strip(), check_deliverability=False).normalized.lower()


def normalize_email(email: str, *, field: str = "email") -> str:
    """`canonical_email`, refusing what is not an address with a 422 naming `field`."""
    try:
        return canonical_email(email)
    except EmailNotValidError as error:
        raise InvalidEmail(str(error), errors=[{"field": field, "message": str(error), "code": "email"}]) from None
