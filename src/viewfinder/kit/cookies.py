"""A browser's sign-in in cookies: the access and refresh tokens httpOnly (scripts never see them), and a CSRF
token that scripts can read and must echo in `X-CSRF-Token` on unsafe requests.

The suite and the Sandbox network each keep a session of their own, under their own cookie names.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from viewfinder.kit.errors import AppError, Forbidden, problem
from viewfinder.kit.security import new_token, same
from viewfinder.settings import Settings

CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class SessionCookies:
    access: str
    refresh: str
    csrf: str
    # The refresh token is sent only to the routes that exchange or end it.
    refresh_path: str

    def set(
        self, response: Response, settings: Settings, *, access_token: str, refresh_token: str, expires_in: int
    ) -> None:
        secure = settings.base_url.scheme == "https"
        refresh_age = settings.refresh_token_days * 86400
        response.set_cookie(self.access, access_token, max_age=expires_in, httponly=True, secure=secure, samesite="lax")
        response.set_cookie(
            self.refresh,
            refresh_token,
            max_age=refresh_age,
            path=self.refresh_path,
            httponly=True,
            secure=secure,
            samesite="lax",
        )
        # Readable by the pages' scripts on purpose: echoing it proves the request comes from our own pages.
        # It lives as long as the refresh token, so its presence tells a page whether a session may exist.
        response.set_cookie(self.csrf, new_token(nbytes=24), max_age=refresh_age, secure=secure, samesite="lax")

    def clear(self, response: Response, settings: Settings) -> None:
        secure = settings.base_url.scheme == "https"
        response.delete_cookie(self.access, httponly=True, secure=secure, samesite="lax")
        response.delete_cookie(self.refresh, path=self.refresh_path, httponly=True, secure=secure, samesite="lax")
        response.delete_cookie(self.csrf, secure=secure, samesite="lax")

    def check_csrf(self, request: Request) -> None:
        """Cookies ride along on any site's requests; only our pages can read the CSRF cookie to echo it."""
        if request.method in SAFE_METHODS:
            return
        cookie = request.cookies.get(self.csrf, "")
        header = request.headers.get(CSRF_HEADER, "")
        if not cookie or not header or not same(cookie, header):
            raise Forbidden(
                f"The CSRF token is missing or wrong: send the {self.csrf} cookie's value in {CSRF_HEADER}."
            )

    def presented_refresh_token(self, request: Request, in_body: str | None) -> tuple[str, bool]:
        """The refresh token of the body, else of the cookie (which needs the CSRF header); and whether it
        came from the cookie, in which case the new pair goes back as cookies too."""
        if in_body is not None or self.refresh not in request.cookies:
            return in_body or "", False
        self.check_csrf(request)
        return request.cookies[self.refresh], True

    def ended(self, request: Request, error: AppError, settings: Settings) -> JSONResponse:
        """The error answered rather than raised, with the cookies cleared: the request's unit of work still
        commits (the end of a stolen session), and a browser whose session is over stops presenting it."""
        answer = problem(error.status, error.type, error.title, error.detail, request=request)
        self.clear(answer, settings)
        return answer
