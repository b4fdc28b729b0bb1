"""The HR web page (server-rendered, Dutch): installed by ``install_web(app)``."""

from __future__ import annotations

from fastapi import FastAPI


def install_web(app: FastAPI) -> None:
    from service.web.pages import install_login_redirect, router

    app.include_router(router)
    install_login_redirect(app)
