"""The HR web page (server-rendered, Dutch): installed by ``install_web(app)``."""

from __future__ import annotations

from fastapi import FastAPI


def install_web(app: FastAPI) -> None:
    from service.web.development import router as development_router
    from service.web.pages import install_web_handlers, router
    from service.web.trends import router as trends_router

    app.include_router(router)
    app.include_router(trends_router)
    app.include_router(development_router)
    install_web_handlers(app)
